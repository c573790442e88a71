/** Tests book in the future (bookings may not start in the past): day `offset` after a base 30 days from now. */
const BASE = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 30);

/** ISO instant `offset` days after the base, at `hour`:00 UTC. */
export function day(offset: number, hour = 10): string {
  return new Date(BASE + offset * 86_400_000 + hour * 3_600_000).toISOString();
}

/**
 * A period that began an hour ago and lasts two days: a booking may start up to a day in the past,
 * and only a booking whose period has begun may be Completed.
 */
export function started(): { start: string; end: string } {
  const now = Date.now();
  return { start: new Date(now - 3_600_000).toISOString(), end: new Date(now + 47 * 3_600_000).toISOString() };
}
