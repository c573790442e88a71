/**
 * One review → its notification on N open SSE streams: the API beside a bare node:http SSE server
 * (bench/servers/bare-sse.ts) and a bare NestJS @Sse() app (bench/servers/bare-nest-sse.ts), both
 * storing the same review and notification and told by NOTIFY.
 */
import { logger, postJson } from '../harness/common.js';
import { ServerProcess } from '../harness/processes.js';
import { compare, measureFanout, type FanoutRow } from './fanout.js';

const log = logger('bench');

export async function benchSseFanout(
  databaseUrl: string,
  carIds: string[],
  sizes: number[],
  trials: number,
): Promise<FanoutRow[]> {
  const review = { carId: carIds[1], renterId: 'renter-1', renterName: 'Bench', rating: 5, comment: 'Great' };
  const rows: FanoutRow[] = [];
  for (const n of sizes) {
    log(`SSE fan-out to ${n}: bare server`);
    const bare = await ServerProcess.start('bare-sse', databaseUrl);
    const bareResult = await measureFanout(bare, 'sse', '/sse', n, trials, async () => {
      await postJson(`${bare.url}/reviews`, review);
    });
    await bare.stop();
    log(`SSE fan-out to ${n}: bare NestJS @Sse()`);
    const nest = await ServerProcess.start('bare-nest-sse', databaseUrl);
    const nestResult = await measureFanout(nest, 'sse', '/sse', n, trials, async () => {
      await postJson(`${nest.url}/reviews`, review);
    });
    await nest.stop();
    log(`SSE fan-out to ${n}: API`);
    const api = await ServerProcess.start('api', databaseUrl);
    const apiResult = await measureFanout(api, 'sse', '/notifications/sse', n, trials, async () => {
      await postJson(`${api.url}/reviews`, review);
    });
    await api.stop();
    rows.push(compare(n, apiResult, bareResult, nestResult));
  }
  return rows;
}
