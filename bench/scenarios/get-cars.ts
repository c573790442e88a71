/**
 * GET /cars (100 cars, 50 connections): the API as `npm start` runs it (request log on, to a file)
 * and the same with LOG_LEVEL=warn (no request lines), beside a bare node:http + pg server running the
 * catalogue's statement on every request. Rounds alternate the three; the median round counts.
 */
import type { HttpLoadResult } from '../load/autocannon.js';
import { fixed, logger } from '../harness/common.js';
import { httpLoad, medianRun, ServerProcess, type ApiStarter } from '../harness/processes.js';

const log = logger('bench');
const ROUNDS = 3;

export interface GetCarsResult {
  api: HttpLoadResult;
  apiQuiet: HttpLoadResult;
  bare: HttpLoadResult;
  ratio: number;
  loggingCost: number;
}

export async function benchGetCars(startApi: ApiStarter, databaseUrl: string, seconds: number): Promise<GetCarsResult> {
  const bare = await ServerProcess.start('bare-http', databaseUrl);
  const api = await startApi();
  const quiet = await startApi({ LOG_LEVEL: 'warn' });
  const servers = [
    { name: 'API', url: api.url },
    { name: 'API, LOG_LEVEL=warn', url: quiet.url },
    { name: 'bare', url: bare.url },
  ];
  const runs: HttpLoadResult[][] = servers.map(() => []);
  try {
    for (const server of servers) await httpLoad({ url: `${server.url}/cars`, connections: 10, durationSeconds: 2 });
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, server] of servers.entries()) {
        log(`GET /cars, ${server.name}, round ${round + 1} of ${ROUNDS}: ${seconds} s, 50 connections`);
        runs[index].push(await httpLoad({ url: `${server.url}/cars`, connections: 50, durationSeconds: seconds }));
      }
    }
  } finally {
    await Promise.all([bare.stop(), api.stop(), quiet.stop()]);
  }
  const [apiRun, quietRun, bareRun] = runs.map(medianRun);
  return {
    api: apiRun,
    apiQuiet: quietRun,
    bare: bareRun,
    ratio: apiRun.requestsPerSecond / bareRun.requestsPerSecond,
    loggingCost: 1 - apiRun.requestsPerSecond / quietRun.requestsPerSecond,
  };
}

export function getCarsRows(cars: GetCarsResult): string[][] {
  return [
    [
      'GET /cars (100 cars, 50 conn) req/s, median of 3',
      fixed(cars.api.requestsPerSecond, 0),
      fixed(cars.bare.requestsPerSecond, 0),
      fixed(cars.ratio, 2),
      '>= 2.00',
    ],
    [
      'GET /cars p50 / p99 ms',
      `${cars.api.latencyP50} / ${cars.api.latencyP99}`,
      `${cars.bare.latencyP50} / ${cars.bare.latencyP99}`,
      '',
      '',
    ],
    [
      'GET /cars: request log cost (API vs LOG_LEVEL=warn)',
      `${fixed(cars.api.requestsPerSecond, 0)} vs ${fixed(cars.apiQuiet.requestsPerSecond, 0)} req/s`,
      '',
      `${fixed(cars.loggingCost * 100, 1)} %`,
      '<= 10 %',
    ],
  ];
}
