/** Tests book in the future (bookings may not start in the past): day `offset` after a base 30 days from now. */
const BASE = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 30);

/** ISO instant `offset` days after the base, at `hour`:00 UTC. */
export function day(offset: number, hour = 10): string {
  return new Date(BASE + offset * 86_400_000 + hour * 3_600_000).toISOString();
}
