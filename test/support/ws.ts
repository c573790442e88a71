import WebSocket from 'ws';
import { waitFor } from './wait.js';

/** A real WebSocket client that records every frame it receives. */
export interface WsClient {
  socket: WebSocket;
  frames: string[];
  closeCode: number | null;
  send(frame: unknown): void;
  waitForFrames(count: number, timeoutMs?: number): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function openWs(
  baseUrl: string,
  path = '/ws/chat',
  options: WebSocket.ClientOptions = {},
): Promise<WsClient> {
  const socket = new WebSocket(baseUrl.replace(/^http/, 'ws') + path, options);
  const client: WsClient = {
    socket,
    frames: [],
    closeCode: null,
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    waitForFrames: (count, timeoutMs = 5000) =>
      waitFor(
        () => (client.frames.length >= count ? client.frames.map((frame) => JSON.parse(frame) as unknown) : undefined),
        timeoutMs,
        `${count} WebSocket frame(s)`,
      ),
    close: () =>
      new Promise((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
  socket.on('message', (data) => client.frames.push((data as Buffer).toString('utf8')));
  socket.on('close', (code) => (client.closeCode = code));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return client;
}
