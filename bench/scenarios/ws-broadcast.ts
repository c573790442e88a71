/** One chat message → N open chat sockets: the API beside a bare `ws` server storing and relaying through PostgreSQL. */
import { logger } from '../harness/common.js';
import { openSocket, ServerProcess } from '../harness/processes.js';
import { compare, measureFanout, type FanoutResult, type FanoutRow } from './fanout.js';

const log = logger('bench');

async function broadcast(
  kind: 'bare-ws' | 'api',
  databaseUrl: string,
  n: number,
  trials: number,
): Promise<FanoutResult> {
  log(`WebSocket broadcast to ${n}: ${kind === 'api' ? 'API' : 'bare server'}`);
  const server = await ServerProcess.start(kind, databaseUrl);
  const sender = await openSocket(`${server.url.replace(/^http/, 'ws')}/ws/chat`);
  let sent = 0;
  try {
    return await measureFanout(server, 'ws', '/ws/chat', n, trials, () => {
      sender.send(
        JSON.stringify({
          id: `bench-${kind}-${n}-${++sent}`,
          sender: 'admin',
          content: 'Broadcast to everyone',
          timestamp: new Date().toISOString(),
        }),
      );
      return Promise.resolve();
    });
  } finally {
    sender.terminate();
    await server.stop();
  }
}

export async function benchWsBroadcast(databaseUrl: string, sizes: number[], trials: number): Promise<FanoutRow[]> {
  const rows: FanoutRow[] = [];
  for (const n of sizes) {
    const bare = await broadcast('bare-ws', databaseUrl, n, trials);
    const api = await broadcast('api', databaseUrl, n, trials);
    rows.push(compare(n, api, bare));
  }
  return rows;
}
