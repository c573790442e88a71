/**
 * POST /bookings at 50 concurrent clients on distinct cars (no conflicts): the API beside a bare
 * node:http + pg server doing the same durable work, and the same bare server taking one global
 * advisory lock per transaction (what ordered notifications used to cost), in alternating rounds
 * on the same PostgreSQL server (the bare servers on a database of their own with the same schema
 * and cars); then 40 requests racing for one slot on the API.
 */
import type { HttpLoadResult } from '../load/autocannon.js';
import { fixed, logger, postJson } from '../harness/common.js';
import type { BenchDatabase } from '../harness/bench-database.js';
import { httpLoad, medianRun, ServerProcess } from '../harness/processes.js';

const log = logger('bench');
const ROUNDS = 3;
const SECONDS_PER_ROUND = 8;

export interface PostBookingsResult {
  api: HttpLoadResult;
  bare: HttpLoadResult;
  bareWithLock: HttpLoadResult;
  oneSlot: { created: number; conflicts: number; total: number; others: number[] };
}

export async function benchPostBookings(
  apiUrl: string,
  database: BenchDatabase,
  carIds: string[],
): Promise<PostBookingsResult> {
  // The bare servers write to a copy of the schema and cars on the same server: the API's relay and
  // listeners do no work for them (and take no CPU from them) during their rounds.
  const bareDatabase = await database.sibling('bare');
  const [{ cars }] = await database.query<{ cars: unknown }>(
    'SELECT json_agg(c) AS cars FROM cars c WHERE id = ANY($1::uuid[])',
    [carIds],
  );
  await bareDatabase.query('INSERT INTO cars SELECT * FROM json_populate_recordset(NULL::cars, $1::json)', [
    JSON.stringify(cars),
  ]);
  const bare = await ServerProcess.start('bare-bookings', bareDatabase.url);
  const bareWithLock = await ServerProcess.start('bare-bookings', bareDatabase.url, { BARE_LOCK: '1' });
  const servers = [
    { name: 'API', url: apiUrl },
    { name: 'bare', url: bare.url },
    { name: 'bare + global lock', url: bareWithLock.url },
  ];
  const runs: HttpLoadResult[][] = servers.map(() => []);
  let year = new Date().getUTCFullYear() + 1;
  try {
    // Each run books its own year, from next year on: no run conflicts with another.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, server] of servers.entries()) {
        log(`POST /bookings, ${server.name}, round ${round + 1} of ${ROUNDS}: ${SECONDS_PER_ROUND} s, 50 clients`);
        runs[index].push(
          await httpLoad({
            url: server.url,
            connections: 50,
            durationSeconds: SECONDS_PER_ROUND,
            bookingCars: carIds,
            bookingBase: Date.UTC(year++, 0, 1),
          }),
        );
      }
    }
  } finally {
    await Promise.all([bare.stop(), bareWithLock.stop()]);
  }
  const slot = { startDate: `${year}-06-01T10:00:00.000Z`, endDate: `${year}-06-03T10:00:00.000Z` };
  const oneSlot = await Promise.all(
    Array.from({ length: 40 }, () =>
      postJson(`${apiUrl}/bookings`, {
        carId: carIds[0],
        ...slot,
        renter: { name: 'Race', email: 'race@example.com' },
      }).then((response) => response.status),
    ),
  );
  const [api, bareResult, lockResult] = runs.map(medianRun);
  return {
    api,
    bare: bareResult,
    bareWithLock: lockResult,
    oneSlot: {
      created: oneSlot.filter((status) => status === 201).length,
      conflicts: oneSlot.filter((status) => status === 409).length,
      total: oneSlot.length,
      others: oneSlot.filter((status) => status !== 201 && status !== 409),
    },
  };
}

export function postBookingsRows(b: PostBookingsResult): string[][] {
  const line = (r: HttpLoadResult) =>
    `${fixed(r.requestsPerSecond, 0)} req/s, p99 ${r.latencyP99} ms, ${r.non2xx + r.errors} failed`;
  return [
    [
      'POST /bookings, 50 conc., distinct cars (median of 3 rounds)',
      line(b.api),
      line(b.bare),
      fixed(b.api.requestsPerSecond / b.bare.requestsPerSecond, 2),
      '>= 0.50',
    ],
    [
      'POST /bookings: bare server + one global advisory lock',
      '',
      line(b.bareWithLock),
      fixed(b.bareWithLock.requestsPerSecond / b.bare.requestsPerSecond, 2),
      '',
    ],
    [
      `${b.oneSlot.total} simultaneous requests for one slot`,
      `${b.oneSlot.created} x 201, ${b.oneSlot.conflicts} x 409` +
        (b.oneSlot.others.length ? `, others: ${b.oneSlot.others.join(' ')}` : ''),
      '',
      '',
      '1 x 201',
    ],
  ];
}
