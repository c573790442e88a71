/**
 * Load generator process for fan-out: opens N SSE streams or WebSockets, then,
 * once armed, records when the next event reaches each of them (absolute
 * high-resolution time, comparable with the coordinator's clock).
 */
import { request, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';

export type FanoutCommand =
  | { type: 'open'; kind: 'sse' | 'ws'; url: string; count: number }
  | { type: 'arm'; timeoutMs: number }
  | { type: 'close' };

const now = () => performance.timeOrigin + performance.now();
const BATCH = 250;

let arrivals: number[] = [];
let armed = false;
let received = 0;
let total = 0;
let deadline: NodeJS.Timeout | null = null;
const closers: (() => void)[] = [];

function arrived(index: number): void {
  if (!armed || arrivals[index] !== 0) return;
  arrivals[index] = now();
  received += 1;
  if (received === total) report();
}

function report(): void {
  if (deadline) clearTimeout(deadline);
  armed = false;
  process.send?.({ type: 'arrivals', arrivals: arrivals.filter((time) => time > 0), missing: total - received });
}

function openSse(url: string, index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent: false, headers: { Accept: 'text/event-stream' } },
      (response: IncomingMessage) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (chunk.includes('data:')) arrived(index);
        });
        response.on('error', () => undefined);
        resolve();
      },
    );
    req.on('error', reject);
    req.end();
    closers.push(() => req.destroy());
  });
}

function openWs(url: string, index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.on('message', () => arrived(index));
    socket.once('open', () => resolve());
    socket.once('error', reject);
    closers.push(() => socket.terminate());
  });
}

process.on('message', (command: FanoutCommand) => {
  handle(command).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});

async function handle(command: FanoutCommand): Promise<void> {
  if (command.type === 'open') {
    total = command.count;
    arrivals = new Array<number>(total).fill(0);
    for (let start = 0; start < total; start += BATCH) {
      const batch = [];
      for (let index = start; index < Math.min(total, start + BATCH); index++) {
        batch.push(command.kind === 'sse' ? openSse(command.url, index) : openWs(command.url, index));
      }
      await Promise.all(batch);
    }
    process.send?.({ type: 'opened' });
  } else if (command.type === 'arm') {
    received = 0;
    arrivals.fill(0);
    armed = true;
    deadline = setTimeout(report, command.timeoutMs);
    process.send?.({ type: 'armed' });
  } else {
    closers.forEach((close) => close());
    process.send?.({ type: 'closed' });
    process.disconnect();
  }
}
