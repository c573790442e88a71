/**
 * npm run bench: the API beside bare baseline servers, on one PostgreSQL, in one run.
 * Prints one table and writes JSON to bench/results/. Each scenario lives in bench/scenarios/;
 * every server and every load generator runs in its own process; all traffic stays on
 * 127.0.0.1; every loop is bounded in count and time.
 *
 *   BENCH_SIZES=1000,5000   fan-out sizes (default 1000,5000,10000)
 *   BENCH_SECONDS=10        duration of each GET /cars run
 *   BENCH_TRIALS=5          events per fan-out size (the median trial is reported)
 *   BENCH_ONLY=sse,ws       run only some parts (cars, bookings, lists, files, sse, ws, auth, search, loops)
 *   BENCH_SEARCH_SIZES=10000,1000000   bookings of the two seed:scale data sets of the renter search
 *   BENCH_CPU_PROF=1        write --cpu-prof profiles of the API processes to bench/results/profiles
 */
import { BenchDatabase } from './harness/bench-database.js';
import { createCars } from './harness/cars.js';
import { join } from 'node:path';
import { BUILT_IN_AGENCY_ID } from '../src/access/standing-rule.js';
import { logger, printTable, resultsDir, timestamp, writeResults } from './harness/common.js';
import { ServerProcess, startApiProcess, type ApiStarter } from './harness/processes.js';
import { fanoutRows, type FanoutRow } from './scenarios/fanout.js';
import { benchFastLoops, fastLoopsRows, type FastLoopsResult } from './scenarios/fast-loops.js';
import { benchFiles, filesRows, type FilesResult } from './scenarios/files.js';
import { benchListRoutes, listRoutesRows, type ListRoutesResult } from './scenarios/list-routes.js';
import { benchGetCars, getCarsRows, type GetCarsResult } from './scenarios/get-cars.js';
import { benchPostBookings, postBookingsRows, type PostBookingsResult } from './scenarios/post-bookings.js';
import { benchSseFanout } from './scenarios/sse-fanout.js';
import { benchTokenMode, tokenModeRows, type TokenModeResult } from './scenarios/token-mode.js';
import { benchWsBroadcast } from './scenarios/ws-broadcast.js';
import { benchRenterSearch, searchRows, type SearchRow } from './scenarios/renter-search.js';

const SIZES = (process.env.BENCH_SIZES ?? '1000,5000,10000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 5);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'cars,bookings,lists,files,sse,ws,auth,search,loops').split(','));
const SEARCH_SIZES = (process.env.BENCH_SEARCH_SIZES ?? '10000,1000000').split(',').map(Number);
/** The fan-out size at which token mode is compared with open mode. */
const AUTH_SIZE = SIZES.includes(5000) ? 5000 : SIZES[SIZES.length - 1];
const log = logger('bench');
/** Each round of POST /bookings books a year of its own, up to seven years ahead. */
const BOOKING_YEARS = { MAX_BOOKING_ADVANCE_DAYS: '3650' };

interface Results {
  date: string;
  node: string;
  sizes: number[];
  getCars?: GetCarsResult;
  postBookings?: PostBookingsResult;
  lists?: ListRoutesResult;
  files?: FilesResult;
  sse?: FanoutRow[];
  ws?: FanoutRow[];
  tokenMode?: TokenModeResult;
  search?: SearchRow[];
  loops?: FastLoopsResult;
}

async function main(): Promise<void> {
  const database = await BenchDatabase.create('bench');
  const results: Results = { date: new Date().toISOString(), node: process.version, sizes: SIZES };
  try {
    log('Seeding 100 cars');
    // GET /cars and POST /bookings: the API as `npm start` runs it, logging to a file.
    const apiLog = join(resultsDir, `api-${timestamp()}.log`);
    const mailDir = join(resultsDir, `mail-${timestamp()}`);
    const startApi: ApiStarter = (env = {}) =>
      startApiProcess(database.url, { env: { ...BOOKING_YEARS, MAIL_DIR: mailDir, ...env }, logFile: apiLog });
    const seeding = await startApi();
    const carIds = await createCars(seeding.url, 100);
    // The agency has an address, as agencies do: each booking queues its e-mail (.eml files here).
    await fetch(`${seeding.url}/agencies/${BUILT_IN_AGENCY_ID}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'bench-agency@example.com' }),
    });
    await seeding.stop();
    if (ONLY.has('cars')) results.getCars = await benchGetCars(startApi, database.url, SECONDS);
    if (ONLY.has('bookings')) results.postBookings = await benchPostBookings(startApi, database, carIds);
    const api = await ServerProcess.start('api', database.url);
    if (ONLY.has('lists')) results.lists = await benchListRoutes(api.url, carIds, SECONDS);
    if (ONLY.has('files')) results.files = await benchFiles(api, carIds, SECONDS);
    await api.stop();
    if (ONLY.has('sse')) results.sse = await benchSseFanout(database.url, carIds, SIZES, TRIALS);
    if (ONLY.has('ws')) results.ws = await benchWsBroadcast(database.url, SIZES, TRIALS);
    if (ONLY.has('auth')) results.tokenMode = await benchTokenMode(database.url, carIds, AUTH_SIZE, SECONDS, TRIALS);
    if (ONLY.has('search')) results.search = await benchRenterSearch(database, SEARCH_SIZES);
    if (ONLY.has('loops')) results.loops = await benchFastLoops();
  } finally {
    await database.close();
  }

  const file = await writeResults(`bench-${timestamp()}`, results);
  printTable([
    ['benchmark', 'API', 'bare', 'ratio (API/bare)', 'target'],
    ...(results.getCars ? getCarsRows(results.getCars) : []),
    ...(results.postBookings ? postBookingsRows(results.postBookings) : []),
    ...(results.lists ? listRoutesRows(results.lists) : []),
    ...(results.files ? filesRows(results.files) : []),
    ...fanoutRows('SSE', results.sse ?? []),
    ...fanoutRows('WebSocket', results.ws ?? []),
    ...(results.tokenMode ? tokenModeRows(results.tokenMode) : []),
    ...(results.search ? searchRows(results.search) : []),
    ...(results.loops ? fastLoopsRows(results.loops) : []),
  ]);
  for (const row of results.search ?? []) console.log(`\nPlan at ${row.bookings} bookings:\n${row.plan}`);
  console.log(`\nJSON: ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
