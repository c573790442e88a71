import { isUUID } from 'class-validator';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWSHeaderParameters,
  type FlattenedJWSInput,
} from 'jose';
import { StandingRepository } from '../access/standing.repository.js';
import { authMode, type Environment } from '../config/environment.js';
import { ROLES, type Role, type User } from '../access/actor.js';

/** A token that must not be accepted; `description` goes into the 401's WWW-Authenticate (RFC 6750). */
export class InvalidTokenError extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

/** The identity provider's keys could not be fetched: the token is not known to be bad, the check cannot be made (503). */
export class KeysUnavailableError extends Error {}

/**
 * Verified tokens kept for a minute (or until they expire, if sooner), so a token is not checked on
 * every request, while a key the provider withdraws stops working within that minute.
 */
const CACHE_LIMIT = 10_000;
const CACHE_MS = 60_000;

/**
 * Verifies bearer tokens with `jose`: HS256 with AUTH_JWT_SECRET, RS256/ES256 with the keys of
 * AUTH_JWKS_URL (fetched, cached and refetched on an unknown `kid`, so the provider may rotate
 * them). `exp` is required; `iss`/`aud` when configured; any other algorithm, `none` included,
 * fails. The claims must name a known role, and an `agency` token an existing agency.
 */
@Injectable()
export class TokenVerifier {
  readonly mode: 'open' | 'token';
  private readonly key: Uint8Array | JWTVerifyGetKey | null = null;
  private readonly algorithms: string[] = [];
  private readonly issuer?: string;
  private readonly audience?: string;
  private readonly verified = new Map<string, { user: User; until: number }>();
  private readonly roleClaim: string;
  private readonly agencyClaim: string;
  private readonly knownAgencies = new Set<string>();

  constructor(
    config: ConfigService<Environment, true>,
    private readonly agencies: StandingRepository,
  ) {
    const secret = config.get('AUTH_JWT_SECRET', { infer: true });
    const jwksUrl = config.get('AUTH_JWKS_URL', { infer: true });
    this.mode = authMode({ AUTH_JWT_SECRET: secret, AUTH_JWKS_URL: jwksUrl });
    this.issuer = config.get('AUTH_ISSUER', { infer: true }) || undefined;
    this.audience = config.get('AUTH_AUDIENCE', { infer: true }) || undefined;
    this.roleClaim = config.get('AUTH_ROLE_CLAIM', { infer: true });
    this.agencyClaim = config.get('AUTH_AGENCY_CLAIM', { infer: true });
    const hmac = secret ? new TextEncoder().encode(secret) : null;
    const jwks = jwksUrl
      ? createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: config.get('AUTH_JWKS_COOLDOWN_MS', { infer: true }) })
      : null;
    if (hmac) this.algorithms.push('HS256');
    if (jwks) this.algorithms.push('RS256', 'ES256');
    if (hmac && jwks) {
      this.key = (header: JWSHeaderParameters, token: FlattenedJWSInput) =>
        header.alg === 'HS256' ? hmac : jwks(header, token);
    } else this.key = hmac ?? jwks;
  }

  /** The user a token stands for; throws InvalidTokenError for anything else. */
  async verify(token: string): Promise<User> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.until > Date.now()) return cached.user;
      this.verified.delete(token);
    }
    const user = await this.check(token);
    if (this.verified.size >= CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { user, until: Math.min(user.expiresAt, Date.now() + CACHE_MS) });
    return user;
  }

  private async check(token: string): Promise<User> {
    if (!this.key) throw new InvalidTokenError('Tokens are not accepted in open mode');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as Uint8Array, {
        algorithms: this.algorithms,
        issuer: this.issuer,
        audience: this.audience,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (keysUnreachable(error)) throw new KeysUnavailableError(String(error));
      throw new InvalidTokenError(describe(error));
    }
    const role = knownRole(claimAt(payload, this.roleClaim));
    if (!role) throw new InvalidTokenError(`The token's ${this.roleClaim} claim must name one of ${ROLES.join(', ')}`);
    const sub = textClaim(payload, 'sub', 200);
    if (sub === undefined) throw new InvalidTokenError('The token has no usable sub claim');
    let agencyId: string | null = null;
    if (role === 'agency') {
      const claimed = claimAt(payload, this.agencyClaim);
      if (typeof claimed !== 'string' || !isUUID(claimed) || !(await this.agencyExists(claimed.toLowerCase()))) {
        throw new InvalidTokenError(`An agency token needs the ${this.agencyClaim} of an existing agency`);
      }
      agencyId = claimed.toLowerCase();
    }
    return {
      kind: 'user',
      issuer: textClaim(payload, 'iss', 1000) ?? '',
      sub,
      role,
      agencyId,
      name: textClaim(payload, 'name', 100),
      email: textClaim(payload, 'email', 254),
      locale: textClaim(payload, 'locale', 35),
      expiresAt: payload.exp! * 1000,
    };
  }

  private async agencyExists(id: string): Promise<boolean> {
    if (this.knownAgencies.has(id)) return true;
    const found = (await this.agencies.agency(id)) !== null;
    if (found) this.knownAgencies.add(id);
    return found;
  }
}

/** Not text: NUL and other control characters, or half of a surrogate pair. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const NOT_TEXT = /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A string claim; undefined when absent or blank. Claims are input like any body: one that is not
 * text, or longer than `max` characters, makes the token unusable (401 naming the claim). A claim is
 * never cut: two identities whose `sub`s share their first `max` characters would become one.
 */
function textClaim(payload: JWTPayload, name: string, max: number): string | undefined {
  const value = payload[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidTokenError(`The token's ${name} claim must be a string`);
  if (NOT_TEXT.test(value))
    throw new InvalidTokenError(`The token's ${name} claim contains characters that are not text`);
  if (value.length > max) throw new InvalidTokenError(`The token's ${name} claim is longer than ${max} characters`);
  return value.trim() ? value : undefined;
}

/** The claim at a dotted path (`realm_access.roles`); a claim whose own name has dots is found too. */
function claimAt(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  return path.split('.').reduce<unknown>((value, key) => {
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }, payload);
}

/** The role a claim names: a role, or the first known role of a list. */
function knownRole(claim: unknown): Role | undefined {
  const candidates = Array.isArray(claim) ? claim : [claim];
  return candidates.find((value): value is Role => typeof value === 'string' && ROLES.includes(value as Role));
}

/** The JWKS could not be fetched (timeout, network, or not a 200 with a key set), as opposed to a bad token. */
function keysUnreachable(error: unknown): boolean {
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return false;
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  // fetch's own error, recognised by shape: it may come from another realm than this module's TypeError.
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  if (name === 'TypeError' && message === 'fetch failed') return true;
  return error instanceof errors.JOSEError && /JSON Web Key Set/i.test(error.message);
}

/** What a 401 says about a token jose refused: enough to fix it, nothing about the keys. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'The token is not valid yet';
    if (error.claim === 'iss') return 'The token has the wrong issuer';
    if (error.claim === 'aud') return 'The token has the wrong audience';
    return `The token's ${error.claim} claim is missing or invalid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'The token is signed with an algorithm this API does not accept';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'The token is signed with an unknown key';
  return 'The token is malformed or invalid';
}
