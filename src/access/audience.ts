import { isUser, type Actor } from './actor.js';

/**
 * Who a live item is for, as one key per item: an agency (`agency:<id>`), the admin team
 * (`admins`) or one user (`user:<sub>`, a renter). A viewer receives the items whose key it holds.
 */
export type AudienceKey = `agency:${string}` | 'admins' | `user:${string}`;

export const agencyAudience = (agencyId: string): AudienceKey => `agency:${agencyId}`;
export const userAudience = (sub: string): AudienceKey => `user:${sub}`;

/**
 * What one stream or socket receives: the items of its keys, and with `allAgencies` every agency's
 * (the admin team, open mode). A user's own items are never another's, the admin's included.
 */
export interface Viewer {
  allAgencies: boolean;
  keys: ReadonlySet<AudienceKey>;
}

const OPEN_VIEWER: Viewer = { allAgencies: true, keys: new Set(['admins']) };

const NOBODY: Viewer = { allAgencies: false, keys: new Set() };

/**
 * The audiences `actor` belongs to, by the role of the token it presents: a renter their own
 * (`user:<sub>`); an agency user their agency's; the admin team `admins` and every agency's; open
 * mode (the agency and the admin at once) the same. The one scope of notifications: REST lists, read
 * marks, the stream's replay and its live delivery all derive from it, so a token sees the same on
 * every route (an agency or admin token never sees the items of a renter with the same sub).
 */
export function viewerOf(actor: Actor): Viewer {
  if (actor.kind === 'open') return OPEN_VIEWER;
  if (!isUser(actor)) return NOBODY;
  switch (actor.role) {
    case 'renter':
      return { allAgencies: false, keys: new Set([userAudience(actor.sub)]) };
    case 'agency':
      return actor.agencyId ? { allAgencies: false, keys: new Set([agencyAudience(actor.agencyId)]) } : NOBODY;
    case 'admin':
      return OPEN_VIEWER;
  }
}

export function sees(viewer: Viewer, key: AudienceKey): boolean {
  return viewer.keys.has(key) || (viewer.allAgencies && key.startsWith('agency:'));
}

/** The agencies among a viewer's audiences, or undefined when it sees every agency's. */
export function agenciesOf(viewer: Viewer): string[] | undefined {
  if (viewer.allAgencies) return undefined;
  return keysWith(viewer, 'agency:');
}

/** The users (subs) among a viewer's audiences. */
export function usersOf(viewer: Viewer): string[] {
  return keysWith(viewer, 'user:');
}

function keysWith(viewer: Viewer, prefix: string): string[] {
  return [...viewer.keys].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
}
