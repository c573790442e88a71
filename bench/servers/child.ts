import type { IncomingMessage } from 'node:http';

/**
 * The side of a benchmark server process that talks to the coordinator over
 * IPC: reports the port it listens on, and answers memory probes (after a
 * forced GC; the process runs with --expose-gc).
 */
export interface MemoryReport {
  heapUsed: number;
  rss: number;
}

export function serveCoordinator(port: number, close: () => Promise<void> = () => Promise.resolve()): void {
  // A clean exit on SIGINT, so that --cpu-prof gets written.
  process.once('SIGINT', () => void close().finally(() => process.exit(0)));
  process.on('message', (message: { type: string }) => {
    if (message.type === 'memory') {
      for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      process.send?.({ type: 'memory', heapUsed, rss } satisfies MemoryReport & { type: string });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'listening', port });
}

/** A request's JSON body (bench servers trust their load generator). */
export async function readJson<T>(request: IncomingMessage): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}
