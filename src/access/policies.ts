import { BUILT_IN_AGENCY_ID } from './standing-rule.js';
import { isUser, type Actor, type User } from './actor.js';
import { NotAllowed } from '../common/domain-errors.js';

/**
 * What part of a resource an actor reaches, as data: each feature's repository turns it into the
 * one WHERE clause that its lists, counts, single reads and writes all use (so no route can see
 * more than another). `all`: every row (the admin team, open mode). `agency`: the rows of one
 * agency. `renter`: one renter's own rows (booked with their own token). `public`: what the public
 * sees: rows of active agencies only. `none`: nothing.
 */
export type Reach =
  | { kind: 'all' }
  | { kind: 'agency'; agencyId: string }
  | { kind: 'renter'; sub: string }
  | { kind: 'public' }
  | { kind: 'none' };

const ALL: Reach = { kind: 'all' };
const PUBLIC: Reach = { kind: 'public' };
const NONE: Reach = { kind: 'none' };

/** The roles' table: who may see or do what. Services ask it; they do not look at roles themselves. */
export const policies = {
  /** Cars: the admin team every car; an agency its own (whatever its standing); anyone else the public catalogue. */
  cars(actor: Actor): Reach {
    return adminOr(actor) ?? agencyOf(actor) ?? PUBLIC;
  },

  /** The agency a car created by `actor` belongs to; `named` is the admin's choice (open mode: the built-in agency). */
  carOwner(actor: Actor, named: string | undefined): string | undefined {
    if (actor.kind === 'open') return BUILT_IN_AGENCY_ID;
    if (isAgency(actor)) return actor.agencyId ?? undefined;
    return named;
  },

  /** Bookings: the admin team all; an agency its cars'; a renter the ones they booked with their own token. */
  bookings(actor: Actor): Reach {
    return adminOr(actor) ?? agencyOf(actor) ?? renterOf(actor) ?? NONE;
  },

  /** A renter books as themselves (at most a few open bookings at once); everyone else books for a walk-in renter. */
  booksAsRenter(actor: Actor): actor is User {
    return isRenter(actor);
  },

  /** Open mode keeps the dashboard's renter id; in token mode a booking made for someone else is a walk-in's. */
  keepsClientRenterId(actor: Actor): boolean {
    return actor.kind === 'open';
  },

  /** A renter may only cancel (before the start, see startedBookingRefusal); the other roles change status and payment. */
  bookingChange(actor: Actor, change: { status?: string; isPaid?: boolean }): void {
    if (isRenter(actor) && (change.isPaid !== undefined || (change.status ?? 'Cancelled') !== 'Cancelled')) {
      throw new NotAllowed('A renter may only cancel a booking');
    }
  },

  /** Whether a renter's cancellation is refused because the booking has begun. */
  cancelsTooLate(actor: Actor, startDate: Date): boolean {
    return isRenter(actor) && startDate.getTime() <= Date.now();
  },

  /** Whether `actor` is the renter of a booking (they are then not told of their own change). */
  /** A renter keeps favourites: their own list, by identity. */
  favoritesOwner(actor: Actor): User {
    if (!isRenter(actor)) throw new NotAllowed("Favourites are a renter's own: they need a renter token");
    return actor;
  },

  isTheRenter(actor: Actor, renterId: string): boolean {
    return isRenter(actor) && actor.sub === renterId;
  },

  /** Whether `actor` reads the reason of an agency's standing (the agency itself and the admin team). */
  seesStandingReason(actor: Actor, agencyId: string): boolean {
    return adminOr(actor) !== undefined || (isAgency(actor) && actor.agencyId === agencyId);
  },

  /** Reviews: the admin team all; an agency its cars'; anyone else those of active agencies' cars. */
  reviews(actor: Actor): Reach {
    return adminOr(actor) ?? agencyOf(actor) ?? PUBLIC;
  },

  /**
   * How `actor` writes a review: a renter a verified one (of a Completed booking of theirs); the
   * admin team and open mode an unverified one, never in a renter's name (token mode).
   */
  reviewAuthor(actor: Actor): { verified: boolean; sub?: string; name?: string } {
    if (!isUser(actor)) return { verified: false };
    return { verified: actor.role === 'renter', sub: actor.sub, name: actor.name };
  },

  /** `mine=true` lists a renter's own reviews. */
  ownReviews(actor: Actor): string {
    if (!isRenter(actor)) throw new NotAllowed("mine=true lists a renter's own reviews: it needs a renter token");
    return actor.sub;
  },

  /** A renter edits or deletes their own verified review. */
  mayChangeReview(actor: Actor, review: { renterId: string; bookingId: string | null }): boolean {
    return isRenter(actor) && review.renterId === actor.sub && review.bookingId !== null;
  },

  /** The admin team removes any review (moderation, with a reason); a renter only their own. */
  moderatesReviews(actor: Actor): boolean {
    return isAdmin(actor);
  },

  /** The car's agency replies to its reviews (open mode: the built-in agency). */
  mayReply(actor: Actor, agencyId: string): boolean {
    const own = actor.kind === 'open' ? BUILT_IN_AGENCY_ID : isAgency(actor) ? actor.agencyId : undefined;
    return own === agencyId;
  },

  /** A booking's thread: its renter and its agency write; the admin team reads. */
  threadAuthor(actor: Actor): 'renter' | 'agency' {
    if (isAdmin(actor)) {
      throw new NotAllowed('The admin reads booking threads but does not write in them');
    }
    return isRenter(actor) ? 'renter' : 'agency';
  },

  /** Complaints (token mode only): the admin team all; an agency its own; a renter theirs. */
  complaints(actor: Actor): Reach {
    const user = policies.complaintParty(actor);
    return adminOr(user) ?? agencyOf(user) ?? renterOf(user) ?? NONE;
  },

  /** Who files and writes about complaints: a token's user (open mode has no parties to tell apart). */
  complaintParty(actor: Actor): User {
    return tokenUser(actor, 'Complaints need token mode (a bearer token)');
  },

  /**
   * Who a support request (a complaint about no booking) is from: a renter, or an agency. The admin
   * team answers them and files none.
   */
  supportRequester(actor: Actor): { user: User; renterSub: string | null; agencyId: string | null } {
    const user = policies.complaintParty(actor);
    if (user.role === 'renter') return { user, renterSub: user.sub, agencyId: null };
    if (user.role === 'agency') return { user, renterSub: null, agencyId: user.agencyId };
    throw new NotAllowed('The admin team answers support requests; it files none (bookingId names a booking)');
  },

  /** Internal notes and triage fields are the admin team's. */
  isAdminTeam(actor: Actor): boolean {
    return isAdmin(actor);
  },

  /** Agencies: the admin team (and open mode) every agency whole; an agency itself whole; everyone else active ones' public profile. */
  agencies(actor: Actor): Reach {
    return adminOr(actor) ?? agencyOf(actor) ?? PUBLIC;
  },

  /** Whether `actor` reads and edits every field of agency `id`. */
  managesAgency(actor: Actor, id: string): boolean {
    const reach = policies.agencies(actor);
    return reach.kind === 'all' || (reach.kind === 'agency' && reach.agencyId === id);
  },

  /**
   * Who sees a document (and its file): the admin team every one; an agency its own; a renter their
   * own (by identity). Everyone else is answered as if it did not exist.
   */
  seesDocument(
    actor: Actor,
    owner: { agencyId: string | null; ownerIssuer: string | null; ownerSub: string | null },
  ): boolean {
    if (isAdmin(actor)) return true;
    if (owner.agencyId !== null) return isAgency(actor) && actor.agencyId === owner.agencyId;
    return isRenter(actor) && actor.issuer === owner.ownerIssuer && actor.sub === owner.ownerSub;
  },

  /** A renter sends their own papers (driving licence, ID card). */
  documentOwner(actor: Actor): User {
    if (!isRenter(actor)) throw new NotAllowed("A renter's documents need a renter token");
    return actor;
  },

  /** The chat conversation `actor` speaks in: an agency its own, the admin team (and open mode) any. */
  conversation(actor: Actor): string | undefined {
    return isAgency(actor) ? (actor.agencyId ?? undefined) : undefined;
  },
};

function adminOr(actor: Actor): Reach | undefined {
  return actor.kind === 'open' || (isUser(actor) && actor.role === 'admin') ? ALL : undefined;
}

function agencyOf(actor: Actor): Reach | undefined {
  return isAgency(actor) && actor.agencyId ? { kind: 'agency', agencyId: actor.agencyId } : undefined;
}

function renterOf(actor: Actor): Reach | undefined {
  return isRenter(actor) ? { kind: 'renter', sub: actor.sub } : undefined;
}

function isAdmin(actor: Actor): boolean {
  return isUser(actor) && actor.role === 'admin';
}

function isRenter(actor: Actor): actor is User {
  return isUser(actor) && actor.role === 'renter';
}

function isAgency(actor: Actor): actor is User {
  return isUser(actor) && actor.role === 'agency';
}

function tokenUser(actor: Actor, why: string): User {
  if (!isUser(actor)) throw new NotAllowed(why);
  return actor;
}
