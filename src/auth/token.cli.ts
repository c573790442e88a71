/**
 * npm run -s token -- --role agency --agency <id> [--sub …] [--name …] [--email …] [--ttl 2h]
 * Prints a token signed with AUTH_JWT_SECRET (from the environment or .env), for development: only
 * the token on stdout, so that `T=$(npm run -s token -- --role admin)` captures it.
 */
import { parseArgs } from 'node:util';
import { isUUID } from 'class-validator';
import { loadEnvironment } from '../config/environment.js';
import { ROLES, type Role } from '../access/actor.js';
import { signHs256 } from './sign-token.js';

const USAGE =
  'Usage: npm run -s token -- --role admin|agency|renter [--agency <agency id>] [--sub <id>] [--name <name>] ' +
  '[--email <email>] [--ttl 2h]';

try {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      agency: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      ttl: { type: 'string', default: '2h' },
    },
  });
  const env = loadEnvironment();
  if (!env.AUTH_JWT_SECRET) throw new Error('Set AUTH_JWT_SECRET (at least 32 characters) to sign tokens');
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (role === 'agency' && !values.agency) throw new Error('--agency <agency id> is required for an agency token');
  if (values.agency !== undefined && !isUUID(values.agency)) {
    throw new Error(`--agency must be an agency's id (a UUID), not ${JSON.stringify(values.agency)}`);
  }
  const claims: Record<string, string> = {
    sub: values.sub ?? (role === 'agency' ? `agency-user-${values.agency}` : `${role}-1`),
    role,
  };
  if (values.agency && role === 'agency') claims.agency_id = values.agency;
  if (values.name) claims.name = values.name;
  if (values.email) claims.email = values.email;
  console.log(
    await signHs256(env.AUTH_JWT_SECRET, claims, {
      expiresIn: values.ttl,
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
    }),
  );
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(1);
}
