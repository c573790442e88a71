export const ROLES = ['admin', 'agency', 'renter'] as const;
export type Role = (typeof ROLES)[number];

/** Someone who presented a valid token. */
export interface User {
  kind: 'user';
  /** The token's `iss` ('' when it has none). */
  issuer: string;
  sub: string;
  role: Role;
  /** Set for the `agency` role only. */
  agencyId: string | null;
  name?: string;
  email?: string;
  /** The token's `locale` claim (a BCP 47 tag): the language when the profile names none. */
  locale?: string;
  /** When the token expires (ms since the epoch): streams and sockets end then. */
  expiresAt: number;
}

/**
 * Who is asking. `open`: open mode (no auth settings), where the one built-in agency owns
 * everything and every caller may do everything (what the dashboard expects). `anonymous`: token
 * mode without a token (the public catalogue). `system`: the API itself (an expired hold).
 */
export type Actor = { kind: 'open' } | { kind: 'anonymous' } | { kind: 'system' } | User;

export const OPEN: Actor = { kind: 'open' };
export const ANONYMOUS: Actor = { kind: 'anonymous' };
export const SYSTEM: Actor = { kind: 'system' };

export const isUser = (actor: Actor): actor is User => actor.kind === 'user';
/**
 * One identity: issuer and sub together, everywhere (accounts, suspension, idempotency keys,
 * limits). A token of another issuer with the same `sub` is someone else; a token of the same
 * identity with another role is the same person, acting in that role.
 */
export function identityKey(user: Pick<User, 'issuer' | 'sub'>): string {
  return JSON.stringify([user.issuer, user.sub]);
}

/**
 * An identity in the role (and agency) it acts in: what an answer produced for it may be shown to.
 * An Idempotency-Key's answer made for a renter token is never replayed to the same person's agency
 * token, which reaches other rows.
 */
export function actingKey(user: User): string {
  return JSON.stringify([user.issuer, user.sub, user.role, user.agencyId]);
}

/** Who made a change, as recorded in a booking's history. */
export function actorStamp(actor: Actor): { sub: string; role: string } {
  if (actor.kind === 'user') return { sub: actor.sub, role: actor.role };
  const sub = { open: 'local', anonymous: 'anonymous', system: 'system' }[actor.kind];
  return { sub, role: actor.kind };
}

/** setTimeout's longest delay (about 24.8 days); a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `expire` when the user's token expires (at once if it has). Returns the cancel function.
 * Streams and sockets end then, so their clients reconnect with a fresh token.
 */
export function atExpiry(user: User, expire: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = user.expiresAt - Date.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(expire, Math.max(0, left));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
