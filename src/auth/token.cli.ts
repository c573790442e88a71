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

const USAGE = `Usage: npm run -s token -- --role admin|agency|renter [options]
Prints a development token signed with AUTH_JWT_SECRET (from the environment or .env), and nothing else.
  --agency <id>     the agency's id (required with --role agency)
  --sub <id>        the subject (default admin-1, renter-1, or agency-user-<agency id>)
  --name <name>     the name shown to others (a renter's bookings and reviews)
  --email <email>   the e-mail address
  --ttl <time>      how long it is valid (default 2h)
  -h, --help        this help`;

try {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      agency: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      ttl: { type: 'string', default: '2h' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
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
