/**
 * POST /bookings at 50 concurrent clients on distinct cars (no conflicts): the API as `npm start`
 * runs it (request log on, to a file), the same with LOG_LEVEL=warn, a bare node:http + pg server
 * doing the same durable work (bench/servers/bare-bookings.ts), and that server taking one global
 * advisory lock per transaction (the other way to order notifications), in alternating rounds on the
 * same PostgreSQL server. Each API runs alone during its round (two would share the relay's work);
 * the bare servers write to a database of their own with the same schema and cars. Then 40 requests
 * race for one slot on the API.
 */
import type { HttpLoadResult } from '../load/autocannon.js';
import { fixed, logger, postJson } from '../harness/common.js';
import type { BenchDatabase } from '../harness/bench-database.js';
import { httpLoad, medianRun, ServerProcess, type ApiStarter } from '../harness/processes.js';

const log = logger('bench');
const ROUNDS = 3;
const SECONDS_PER_ROUND = 8;

export interface PostBookingsResult {
  api: HttpLoadResult;
  apiQuiet: HttpLoadResult;
  bare: HttpLoadResult;
  bareWithLock: HttpLoadResult;
  oneSlot: { created: number; conflicts: number; total: number; others: number[] };
}

export async function benchPostBookings(
  startApi: ApiStarter,
  database: BenchDatabase,
  carIds: string[],
): Promise<PostBookingsResult> {
  // The bare servers write to a copy of the schema, agencies and cars on the same server: the API's
  // relay and listeners do no work for them (and take no CPU from them) during their rounds.
  const bareDatabase = await database.sibling('bare');
  const [{ agencies }] = await database.query<{ agencies: unknown }>('SELECT json_agg(a) AS agencies FROM agencies a');
  await bareDatabase.query(
    `INSERT INTO agencies SELECT * FROM json_populate_recordset(NULL::agencies, $1::json)
     ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email`,
    [JSON.stringify(agencies)],
  );
  const [{ cars }] = await database.query<{ cars: unknown }>(
    'SELECT json_agg(c) AS cars FROM cars c WHERE id = ANY($1::uuid[])',
    [carIds],
  );
  await bareDatabase.query('INSERT INTO cars SELECT * FROM json_populate_recordset(NULL::cars, $1::json)', [
    JSON.stringify(cars),
  ]);
  const bare = await ServerProcess.start('bare-bookings', bareDatabase.url);
  const bareWithLock = await ServerProcess.start('bare-bookings', bareDatabase.url, { BARE_LOCK: '1' });
  const apiFor = (env: NodeJS.ProcessEnv) => async (run: (url: string) => Promise<HttpLoadResult>) => {
    const api = await startApi(env);
    try {
      return await run(api.url);
    } finally {
      await api.stop();
    }
  };
  const onBare = (url: string) => (run: (url: string) => Promise<HttpLoadResult>) => run(url);
  const servers = [
    { name: 'API', on: apiFor({}) },
    { name: 'API, LOG_LEVEL=warn', on: apiFor({ LOG_LEVEL: 'warn' }) },
    { name: 'bare', on: onBare(bare.url) },
    { name: 'bare + global lock', on: onBare(bareWithLock.url) },
  ];
  const runs: HttpLoadResult[][] = servers.map(() => []);
  const firstYear = new Date().getUTCFullYear() + 1;
  try {
    // Each run on a database books its own year, from next year on: no run conflicts with another.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, server] of servers.entries()) {
        log(`POST /bookings, ${server.name}, round ${round + 1} of ${ROUNDS}: ${SECONDS_PER_ROUND} s, 50 clients`);
        const bookingBase = Date.UTC(firstYear + round * 2 + (index % 2), 0, 1);
        runs[index].push(
          await server.on((url) =>
            httpLoad({ url, connections: 50, durationSeconds: SECONDS_PER_ROUND, bookingCars: carIds, bookingBase }),
          ),
        );
      }
    }
  } finally {
    await Promise.all([bare.stop(), bareWithLock.stop()]);
  }
  const year = firstYear + ROUNDS * 2;
  const slot = { startDate: `${year}-06-01T10:00:00.000Z`, endDate: `${year}-06-03T10:00:00.000Z` };
  const api = await startApi();
  const oneSlot = await Promise.all(
    Array.from({ length: 40 }, () =>
      postJson(`${api.url}/bookings`, {
        carId: carIds[0],
        ...slot,
        renter: { name: 'Race', email: 'race@example.com' },
      }).then((response) => response.status),
    ),
  );
  await api.stop();
  const [apiResult, quietResult, bareResult, lockResult] = runs.map(medianRun);
  return {
    api: apiResult,
    apiQuiet: quietResult,
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
      '>= 0.60',
    ],
    [
      'POST /bookings: request log cost (API vs LOG_LEVEL=warn)',
      line(b.apiQuiet),
      '',
      `${fixed((1 - b.api.requestsPerSecond / b.apiQuiet.requestsPerSecond) * 100, 1)} %`,
      '<= 10 %',
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
