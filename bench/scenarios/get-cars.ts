/** GET /cars (100 cars, 50 connections): the API beside a bare node:http + pg server reading the same rows. */
import type { HttpLoadResult } from '../load/autocannon.js';
import { fixed, logger } from '../harness/common.js';
import { httpLoad, ServerProcess } from '../harness/processes.js';

const log = logger('bench');

export interface GetCarsResult {
  api: HttpLoadResult;
  bare: HttpLoadResult;
  ratio: number;
}

export async function benchGetCars(apiUrl: string, databaseUrl: string, seconds: number): Promise<GetCarsResult> {
  const bare = await ServerProcess.start('bare-http', databaseUrl);
  try {
    log(`GET /cars: warm-up, then ${seconds}s each with 50 connections`);
    await httpLoad({ url: `${apiUrl}/cars`, connections: 10, durationSeconds: 2 });
    await httpLoad({ url: `${bare.url}/cars`, connections: 10, durationSeconds: 2 });
    const carsBare = await httpLoad({ url: `${bare.url}/cars`, connections: 50, durationSeconds: seconds });
    const carsApi = await httpLoad({ url: `${apiUrl}/cars`, connections: 50, durationSeconds: seconds });
    return { api: carsApi, bare: carsBare, ratio: carsApi.requestsPerSecond / carsBare.requestsPerSecond };
  } finally {
    await bare.stop();
  }
}

export function getCarsRows(cars: GetCarsResult): string[][] {
  return [
    [
      'GET /cars (100 cars, 50 conn) req/s',
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
  ];
}
