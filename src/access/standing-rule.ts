/**
 * An agency's standing, the one rule every route and the chat apply: only an active agency is
 * listed publicly (its profile, cars and reviews), takes bookings and writes anything. A pending
 * agency may still complete its profile (what its application needs: mayWrite); a suspended or
 * rejected one reads. The SQL form (activeAgencySql) and the TypeScript form (isActive) say the
 * same thing.
 */
export const AGENCY_STATUSES = ['pending', 'active', 'suspended', 'rejected'] as const;
export type AgencyStatus = (typeof AGENCY_STATUSES)[number];

/**
 * The agency that open mode (no auth settings) works as: it owns every car of a single-agency
 * install, and every existing car moves to it when the agencies arrive (AddAgencies migration).
 */
export const BUILT_IN_AGENCY_ID = '00000000-0000-4000-8000-000000000001';

export interface AgencyStanding {
  status: AgencyStatus;
  reason: string | null;
}

/** The one status in which an agency is listed, booked and writes. */
export const ACTIVE: AgencyStatus = 'active';

export function isActive(standing: Pick<AgencyStanding, 'status'> | null | undefined): boolean {
  return standing?.status === ACTIVE;
}

/** SQL: the agency whose id is in `agencyColumn` is active (the same rule as isActive). */
export function activeAgencySql(agencyColumn: string): string {
  return `EXISTS (SELECT 1 FROM agencies a WHERE a.id = ${agencyColumn} AND a.status = '${ACTIVE}')`;
}

/**
 * What a write is for: the agency's business (only an active agency) or its application (a pending
 * one too: its own profile). The chat with the admin team is no such write: every agency keeps it.
 */
export type WritePurpose = 'business' | 'application';

/** Whether an agency in `standing` may make a write for `purpose`. */
export function mayWrite(standing: Pick<AgencyStanding, 'status'>, purpose: WritePurpose): boolean {
  switch (purpose) {
    case 'business':
      return isActive(standing);
    case 'application':
      return isActive(standing) || standing.status === 'pending';
  }
}

/** What an agency that is not active is told when it tries to write (its own reason included). */
export function writeRefusal(standing: AgencyStanding): string {
  const why = standing.reason ? ` (${standing.reason})` : '';
  return `Your agency is ${standing.status}${why}: it may read but not change anything`;
}

/**
 * What someone booking a car of an agency that is not active is told. The reason is the admin
 * team's note to the agency: only the agency itself and the admin team read it.
 */
export function bookingRefusal(standing: AgencyStanding, seesReason: boolean): string {
  if (!seesReason) return 'This car cannot be booked at the moment';
  const why = standing.reason ? ` (${standing.reason})` : '';
  return `The car's agency is ${standing.status}${why}: it takes no bookings`;
}
