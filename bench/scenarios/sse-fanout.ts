/** One review → its notification on N open SSE streams: the API beside a bare SSE server fed by NOTIFY. */
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
  // What the bare server publishes: a notification of the same shape and size as the API's.
  const sampleNotification = JSON.stringify({
    id: '1',
    type: 'REVIEW',
    title: 'New Review',
    message: `New 5-star review for car ${carIds[1]}`,
    isRead: false,
    createdAt: new Date().toISOString(),
    data: { review: { ...review, id: carIds[2], createdAt: new Date().toISOString() } },
  });
  const rows: FanoutRow[] = [];
  for (const n of sizes) {
    log(`SSE fan-out to ${n}: bare server`);
    const bare = await ServerProcess.start('bare-sse', databaseUrl);
    const bareResult = await measureFanout(bare, 'sse', '/sse', n, trials, async () => {
      await fetch(`${bare.url}/publish`, { method: 'POST', body: sampleNotification });
    });
    await bare.stop();
    log(`SSE fan-out to ${n}: API`);
    const api = await ServerProcess.start('api', databaseUrl);
    const apiResult = await measureFanout(api, 'sse', '/notifications/sse', n, trials, async () => {
      await postJson(`${api.url}/reviews`, review);
    });
    await api.stop();
    rows.push(compare(n, apiResult, bareResult));
  }
  return rows;
}
