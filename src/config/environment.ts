import { existsSync } from 'node:fs';
import proxyAddr from 'proxy-addr';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidateBy,
} from 'class-validator';
import { LOCALES, type Locale } from './locale.js';

/**
 * The slow-client policy of every live transport: a client may leave this much of what it was sent
 * unread (SSE: characters of events queued for it; chat: bytes buffered on its socket) before it is
 * dropped. It reconnects and resumes where it stood (Last-Event-ID, chat history), so dropping it
 * costs it nothing, and no process buffers without bound for a client that stopped reading.
 */
export const MAX_CLIENT_BACKLOG = 1024 * 1024;

/** true/false, 1/0, yes/no; anything else stays a string, which @IsBoolean() then rejects. */
const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  return ['true', '1', 'yes'].includes(word) ? true : ['false', '0', 'no'].includes(word) ? false : value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;

/** How log lines are written: see src/common/log-output.ts. */
export type LogFormat = 'auto' | 'json' | 'pretty';

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

  /**
   * Express's `trust proxy`: which hops' X-Forwarded-For to believe for the client's address
   * (rate limits, logs). `false` (default), `true` (any: only behind a proxy that overwrites the
   * header), a hop count, or a comma-separated list of addresses, subnets or `loopback`,
   * `linklocal`, `uniquelocal`.
   */
  @IsString()
  @ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && compiles(value),
      defaultMessage: () =>
        'TRUST_PROXY must be true, false, a hop count, or a comma-separated list of IP addresses, subnets ' +
        '(10.0.0.0/8) or the names loopback, linklocal, uniquelocal',
    },
  })
  TRUST_PROXY = 'false';

  /** Token mode with HS256 tokens signed with this secret. Never logged. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  /** Token mode with RS256/ES256 tokens of an identity provider: the URL of its JWKS (keys are fetched and rotated). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  AUTH_JWKS_URL?: string;

  /**
   * After fetching the JWKS, how long before a token with an unknown `kid` may make it fetch again
   * (a provider that rotated its keys is followed; a flood of bad tokens does not hammer it).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  AUTH_JWKS_COOLDOWN_MS = 30000;

  /** When set, a token's `iss` must be this. */
  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string;

  /** When set, a token's `aud` must include this. */
  @IsOptional()
  @IsString()
  AUTH_AUDIENCE?: string;

  /**
   * Where a token carries the role: a claim name or a dotted path into the claims
   * (`realm_access.roles` for Keycloak, a namespaced claim for Auth0). A list counts by its first
   * known role.
   */
  @IsString()
  @Matches(/^[^.\s]+(\.[^.\s]+)*$/, { message: 'AUTH_ROLE_CLAIM must be a claim name or a dotted path' })
  AUTH_ROLE_CLAIM = 'role';

  /** Where an agency token carries its agency's id (a claim name or a dotted path). */
  @IsString()
  @Matches(/^[^.\s]+(\.[^.\s]+)*$/, { message: 'AUTH_AGENCY_CLAIM must be a claim name or a dotted path' })
  AUTH_AGENCY_CLAIM = 'agency_id';

  /** Open mode (no AUTH_* setting) answers only loopback clients unless this is true. */
  @Transform(toBoolean)
  @IsBoolean()
  ALLOW_REMOTE_WITHOUT_AUTH = false;

  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  @IsOptional()
  @IsString()
  @Matches(/^\S{16,}$/, { message: 'METRICS_TOKEN must be at least 16 characters without spaces' })
  METRICS_TOKEN?: string;

  /**
   * The web pages (origins) that may call the API from a browser: `*` for any, or a comma-separated
   * list. Unset: any in token mode; in open mode only pages served from this machine.
   */
  @IsOptional()
  @IsString()
  @Matches(/^\*$|^\s*https?:\/\/[^\s/,]+(\s*,\s*https?:\/\/[^\s/,]+)*\s*$/, {
    message: 'CORS_ORIGINS must be * or a comma-separated list of origins such as http://localhost:3001',
  })
  CORS_ORIGINS?: string;

  @IsString()
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 1mb' })
  BODY_LIMIT = '1mb';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `auto`: readable lines on a terminal (with pino-pretty installed), JSON lines anywhere else. */
  @IsIn(['auto', 'json', 'pretty'])
  LOG_FORMAT: LogFormat = 'auto';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** How long a request waits for a pool connection (or a new connection) before it is answered 503. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  DB_CONNECT_TIMEOUT_MS = 2000;

  /** A statement running longer is cancelled (and answered 503): no runaway query holds a connection. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  DB_STATEMENT_TIMEOUT_MS = 10000;

  @IsString()
  EMBEDDED_PG_DIR = '.data/postgres';

  /** Below Linux's ephemeral range (32768-60999), which outgoing connections borrow. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 15432;

  @Transform(toBoolean)
  @IsBoolean()
  SEED_DEMO = false;

  /** Longest booking, in days (one request must not block a car for years). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  MAX_BOOKING_DAYS = 90;

  /** How far ahead a booking may start, in days (400 beyond): nobody takes a car off the market for years. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  MAX_BOOKING_ADVANCE_DAYS = 365;

  /** Open bookings (Pending or Confirmed, not yet ended) one renter may hold at once (409 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  MAX_OPEN_BOOKINGS_PER_RENTER = 5;

  /** A Pending booking the agency has not confirmed within this many minutes is cancelled by the system. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(525600)
  BOOKING_HOLD_MINUTES = 1440;

  /** How often each process looks for expired holds (seconds). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30)
  BOOKING_HOLD_CHECK_SECONDS = 10;

  /** The largest upload (a photo or a document), in bytes: 413 above, before the body is read whole. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

  /** The document types an agency needs approved before the admin team may approve it (comma-separated, or `none`). */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((type) => type.trim())
          .filter((type) => type && type !== 'none')
      : value,
  )
  @IsIn(['business_licence', 'insurance', 'registration', 'other'], {
    each: true,
    message: 'AGENCY_REQUIRED_DOCUMENTS may name business_licence, insurance, registration, other, or be none',
  })
  AGENCY_REQUIRED_DOCUMENTS: ('business_licence' | 'insurance' | 'registration' | 'other')[] = [
    'business_licence',
    'insurance',
  ];

  /** A renter books only once a driving licence of theirs is approved (409 otherwise). */
  @Transform(toBoolean)
  @IsBoolean()
  REQUIRE_VERIFIED_RENTERS = false;

  /** The language of a reader whose profile and token name none: `en` or `fr`. */
  @IsIn(LOCALES)
  DEFAULT_LOCALE: Locale = 'en';

  /**
   * Where e-mails go: `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…`.
   * Unset: each e-mail is written as an .eml file under MAIL_DIR instead.
   */
  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'SMTP_URL must look like smtp://user:password@host:587' })
  SMTP_URL?: string;

  /** The From of every e-mail. */
  @IsString()
  MAIL_FROM = 'Car rental <no-reply@car-rental.local>';

  /** Without SMTP_URL: the folder of the .eml files. */
  @IsString()
  MAIL_DIR = '.data/mail';

  /** A message that cannot be delivered is retried (with back-off) this long, then marked failed. */
  @Transform(toInt)
  @IsNumber()
  @Min(0)
  MAIL_RETRY_HOURS = 24;

  /** The first retry's wait; each next one doubles, up to an hour. */
  @Transform(toInt)
  @IsNumber()
  @Min(0.1)
  MAIL_BACKOFF_SECONDS = 30;

  /** Messages of one category to one address within this go out as one e-mail listing them. */
  @Transform(toInt)
  @IsNumber()
  @Min(0)
  MAIL_DIGEST_MINUTES = 10;

  /** How often each process looks for e-mails due (retries, digests); a new one wakes it at once. */
  @Transform(toInt)
  @IsNumber()
  @Min(0.1)
  MAIL_POLL_SECONDS = 5;

  /**
   * The API's public origin, for the URLs of uploaded photos (`https://api.example.com`); unset: the
   * origin each upload request came to (through a trusted proxy, the forwarded one).
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL?: string;

  /** How often each process folds the analytics deltas into the daily rollups (readers sum both meanwhile). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  ROLLUP_FOLD_SECONDS = 5;

  /** A renter may edit or delete their review for this many days after writing it. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  REVIEW_EDIT_DAYS = 30;

  /** Idle keep-alive connections are kept this long: longer than a load balancer's idle timeout (60 s). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  HTTP_KEEPALIVE_TIMEOUT_MS = 65000;

  /** A client must send its request headers within this time (slowloris): 408 otherwise. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  HTTP_HEADERS_TIMEOUT_MS = 10000;

  /** A client must send its whole request (headers and body) within this time: 408 otherwise. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  /** `off` lifts every rate limit (load tests open thousands of streams from one address). */
  @IsIn(['on', 'off'])
  RATE_LIMITS: 'on' | 'off' = 'on';

  /** Writes (POST, PUT, PATCH, DELETE) per client per minute; more get 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_WRITES = 120;

  /** Open SSE streams per client, and open chat sockets per client; the next one gets 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_STREAMS = 20;

  /** Chat frames per socket per 10 s; more are dropped, and twice as many close the socket (1008). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_CHAT = 30;

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

  /** A socket that connects first gets the last N messages (0 = none; the dashboard never asks for history). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(500)
  CHAT_HISTORY_ON_CONNECT = 0;

  /** Bytes a chat socket may leave unread before it is closed (as a slow SSE client is dropped). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  CHAT_MAX_BACKLOG_BYTES = MAX_CLIENT_BACKLOG;
}

/** A URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@');
}

const SECRETS = new Set(['AUTH_JWT_SECRET', 'METRICS_TOKEN']);
const shown = (property: string, value: unknown): unknown =>
  SECRETS.has(property) ? '(hidden)' : typeof value === 'string' ? redactUrl(value) : value;

/** Validates raw environment variables; throws one error listing every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''));
  const env = plainToInstance(Environment, defined, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (error) =>
        `  ${error.property}=${JSON.stringify(shown(error.property, defined[error.property]))}: ${Object.values(error.constraints ?? {}).join('; ')}`,
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

/** Token mode when either AUTH_JWT_SECRET or AUTH_JWKS_URL is set; open mode otherwise. */
export function authMode(env: Pick<Environment, 'AUTH_JWT_SECRET' | 'AUTH_JWKS_URL'>): 'open' | 'token' {
  return env.AUTH_JWT_SECRET || env.AUTH_JWKS_URL ? 'token' : 'open';
}

/** TRUST_PROXY as Express's `trust proxy` setting. */
export function trustProxySetting(value: string): boolean | number | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim());
}

/** Whether TRUST_PROXY's value makes a rule (proxy-addr refuses what is no address, subnet or name). */
function compiles(value: string): boolean {
  try {
    trustProxyRule(trustProxySetting(value));
    return true;
  } catch {
    return false;
  }
}

/** Whether the hop at `address` (`hop` hops away) may be believed: the rule Express compiles from the same setting. */
export function trustProxyRule(setting: boolean | number | string[]): (address: string, hop: number) => boolean {
  if (typeof setting === 'boolean') return () => setting;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting);
}
