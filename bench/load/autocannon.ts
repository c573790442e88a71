/** Load generator process: runs one autocannon test and reports its summary over IPC. */
import autocannon, { type Request } from 'autocannon';

export interface HttpLoad {
  url: string;
  connections: number;
  durationSeconds?: number;
  amount?: number;
  headers?: Record<string, string>;
  /** POST /bookings: one distinct, non-overlapping slot per request, spread over these cars. */
  bookingCars?: string[];
  /** Where the slots start (ms since the epoch): runs on the same cars use different years. */
  bookingBase?: number;
}

export interface HttpLoadResult {
  requestsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  requests: number;
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

process.once('message', (load: HttpLoad) => {
  let counter = 0;
  const DAY = 24 * 60 * 60 * 1000;
  const base = load.bookingBase ?? Date.UTC(2030, 0, 1);
  const requests = load.bookingCars
    ? [
        {
          method: 'POST' as const,
          path: '/bookings',
          headers: { 'Content-Type': 'application/json' },
          setupRequest: (request: Request) => {
            const index = counter++;
            const cars = load.bookingCars!;
            const start = base + Math.floor(index / cars.length) * 2 * DAY;
            request.body = JSON.stringify({
              carId: cars[index % cars.length],
              startDate: new Date(start).toISOString(),
              endDate: new Date(start + DAY).toISOString(),
              renter: { name: 'Bench Renter', email: 'bench@example.com' },
            });
            return request;
          },
        },
      ]
    : undefined;
  const instance = autocannon(
    {
      url: load.url,
      connections: load.connections,
      ...(load.amount ? { amount: load.amount } : { duration: load.durationSeconds ?? 10 }),
      headers: load.headers,
      requests,
    },
    (error, result) => {
      if (error) throw error;
      const statusCodes: Record<string, number> = {};
      for (const [code, count] of Object.entries(result.statusCodeStats ?? {}))
        statusCodes[code] = (count as { count: number }).count;
      process.send?.({
        // A fixed number of requests ends mid-second: count over the run's real duration, not per-second buckets.
        requestsPerSecond: load.amount ? result.requests.total / result.duration : result.requests.average,
        latencyP50: result.latency.p50,
        latencyP99: result.latency.p99,
        requests: result.requests.total,
        errors: result.errors,
        non2xx: result.non2xx,
        statusCodes,
      } satisfies HttpLoadResult);
      process.disconnect();
    },
  );
  instance.on('error', () => undefined);
});
