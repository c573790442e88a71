/**
 * The list routes the apps read most, measured as they are (no bare server: these figures are
 * compared with the same routes on an earlier commit, docs/performance.md):
 *   GET /bookings?limit=100 over 1,000 bookings (each with its car), uncached;
 *   GET /cars?limit=100 with a distinct `priceMax` per request (above every price), so that every
 *   request misses the list cache and runs the catalogue query with its ratings and agencies.
 */
import type { HttpLoadResult } from '../load/autocannon.js';
import { fixed, logger, postJson } from '../harness/common.js';
import { httpLoad, medianRun } from '../harness/processes.js';

const log = logger('bench');
const BOOKINGS = 1000;
const DAY = 24 * 60 * 60 * 1000;

export interface ListRoutesResult {
  bookings: HttpLoadResult;
  cars: HttpLoadResult;
}

export async function benchListRoutes(apiUrl: string, carIds: string[], seconds: number): Promise<ListRoutesResult> {
  log(`GET /bookings, GET /cars: ${BOOKINGS} bookings, then 3 rounds of ${seconds}s each with 20 connections`);
  const base = Date.UTC(2031, 0, 1);
  for (let i = 0; i < BOOKINGS; i++) {
    const start = base + Math.floor(i / carIds.length) * 2 * DAY;
    const response = await postJson(`${apiUrl}/bookings`, {
      carId: carIds[i % carIds.length],
      startDate: new Date(start).toISOString(),
      endDate: new Date(start + DAY).toISOString(),
      renter: { name: 'Bench Renter', email: 'bench@example.com' },
    });
    if (response.status !== 201) throw new Error(`POST /bookings answered ${response.status}`);
  }
  // A bound above every price, different for each request: the same 100 cars, never from the cache.
  const carPaths = Array.from({ length: 100_000 }, (_, i) => `/cars?limit=100&priceMax=${100_000 + i}`);
  const bookingsPath = '/bookings?limit=100';
  await httpLoad({ url: `${apiUrl}${bookingsPath}`, connections: 10, durationSeconds: 2 });
  await httpLoad({ url: `${apiUrl}/cars`, paths: carPaths, connections: 10, durationSeconds: 2 });
  const bookings: HttpLoadResult[] = [];
  const cars: HttpLoadResult[] = [];
  for (let round = 0; round < 3; round++) {
    bookings.push(await httpLoad({ url: `${apiUrl}${bookingsPath}`, connections: 20, durationSeconds: seconds }));
    cars.push(await httpLoad({ url: `${apiUrl}/cars`, paths: carPaths, connections: 20, durationSeconds: seconds }));
  }
  const failed = [...bookings, ...cars].reduce((sum, run) => sum + run.non2xx + run.errors, 0);
  if (failed > 0) throw new Error(`${failed} list requests failed`);
  return { bookings: medianRun(bookings), cars: medianRun(cars) };
}

export function listRoutesRows(result: ListRoutesResult): string[][] {
  const row = (name: string, load: HttpLoadResult) => [
    `${name} req/s (p50 / p99 ms)`,
    `${fixed(load.requestsPerSecond, 0)} (${load.latencyP50} / ${load.latencyP99})`,
    '',
    '',
    'within 10% of docs/performance.md',
  ];
  return [
    row('GET /bookings?limit=100 (1,000 bookings, 20 conn)', result.bookings),
    row('GET /cars?limit=100&priceMax=… (cache missed, 20 conn)', result.cars),
  ];
}
