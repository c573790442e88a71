import { isUser, type Actor } from '../auth/actor.js';

/**
 * Who a live item is for, as one key per item: an agency (`agency:<id>`), the admin team
 * (`admins`) or one user (`user:<sub>`). A viewer receives the items whose key it holds.
 */
export type AudienceKey = `agency:${string}` | 'admins' | `user:${string}`;

export const agencyAudience = (agencyId: string): AudienceKey => `agency:${agencyId}`;
export const userAudience = (sub: string): AudienceKey => `user:${sub}`;

/** What one stream or socket receives: every item (the admin team, open mode) or those of its keys. */
export type Viewer = { everything: true } | { everything: false; keys: ReadonlySet<AudienceKey> };

const EVERYTHING: Viewer = { everything: true };

/**
 * The audiences `actor` belongs to: an agency user its agency's and its own, a renter its own, the
 * admin team and open mode everything (they see every agency's).
 */
export function viewerOf(actor: Actor): Viewer {
  if (actor.kind === 'open') return EVERYTHING;
  if (!isUser(actor)) return { everything: false, keys: new Set() };
  if (actor.role === 'admin') return EVERYTHING;
  const keys = new Set<AudienceKey>([userAudience(actor.sub)]);
  if (actor.role === 'agency' && actor.agencyId) keys.add(agencyAudience(actor.agencyId));
  return { everything: false, keys };
}

export function sees(viewer: Viewer, key: AudienceKey): boolean {
  return viewer.everything || viewer.keys.has(key);
}

/** The agencies among a viewer's audiences, or undefined when it sees everything. */
export function agenciesOf(viewer: Viewer): string[] | undefined {
  if (viewer.everything) return undefined;
  return [...viewer.keys].filter((key) => key.startsWith('agency:')).map((key) => key.slice('agency:'.length));
}
