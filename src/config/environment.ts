import { existsSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? ['true', '1', 'yes'].includes(value.toLowerCase()) : value;
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;

/**
 * Every environment variable the API reads. `.env.example` documents each one.
 * A bad value stops start-up with a message naming the variable.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsString()
  @Matches(/^[A-Za-z0-9/_-]*$/, { message: 'API_PREFIX may only hold letters, digits, "/", "_" and "-"' })
  API_PREFIX = '';

  /** Comma-separated origins, or `*` for any. */
  @IsString()
  CORS_ORIGINS = '*';

  @IsString()
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 1mb' })
  BODY_LIMIT = '1mb';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  @IsString()
  EMBEDDED_PG_DIR = '.data/postgres';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  @Transform(toBoolean)
  @IsBoolean()
  SEED_DEMO = false;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  SSE_KEEPALIVE_MS = 15000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  SSE_RETRY_MS = 3000;

  @Transform(toBoolean)
  @IsBoolean()
  CHAT_ECHO_TO_SENDER = false;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  CHAT_MAX_CONTENT_LENGTH = 4000;

  @Transform(toInt)
  @IsInt()
  @Min(256)
  CHAT_MAX_FRAME_BYTES = 64 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  WS_PING_INTERVAL_MS = 30000;
}

/** Validates raw environment variables; throws one error listing every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''));
  const env = plainToInstance(Environment, defined, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (error) =>
        `  ${error.property}=${JSON.stringify(defined[error.property])}: ${Object.values(error.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}

/** For entry points outside Nest (main.ts before the app exists, the CLIs): reads .env if present, then validates. */
export function loadEnvironment(): Environment {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return validateEnvironment(process.env);
}
