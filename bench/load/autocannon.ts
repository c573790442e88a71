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
  /** GET these paths in turn (one per request) instead of `url`'s. */
  paths?: string[];
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
    : load.paths
      ? [
          {
            method: 'GET' as const,
            setupRequest: (request: Request) => {
              request.path = load.paths![counter++ % load.paths!.length];
              return request;
            },
          },
        ]
      : undefined;
  const started = performance.now();
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
      const seconds = (performance.now() - started) / 1000;
      const statusCodes: Record<string, number> = {};
      for (const [code, count] of Object.entries(result.statusCodeStats ?? {}))
        statusCodes[code] = (count as { count: number }).count;
      process.send?.({
        // Over the run's real duration, measured here: autocannon ends a fixed-size run on a whole
        // second (2,000 requests read as 2000/2, 2000/3, … req/s), and its per-second average drops the last part.
        requestsPerSecond: result.requests.total / seconds,
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
