/**
 * Baseline for the chat broadcast: a bare `ws` server doing the same durable work as the API for a
 * chat message (one INSERT into chat_messages, committed on its own, a NOTIFY with the commit),
 * told by that NOTIFY on a LISTEN connection as the API is, and then sending the frame, serialized
 * once, to every other socket. What it leaves out is the API's ordering: no relay stamps the message
 * and nothing reads it back (its frame travels in the NOTIFY payload).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';
import { WebSocket, WebSocketServer } from 'ws';
import { serveCoordinator } from './child.js';

const CHANNEL = 'bench_bare_chat';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
const sockets = new Map<string, WebSocket>();

const server = createServer();
const wss = new WebSocketServer({ server, path: '/ws/chat' });
wss.on('connection', (socket) => {
  const socketId = randomUUID();
  sockets.set(socketId, socket);
  socket.on('close', () => sockets.delete(socketId));
  socket.on('message', (data) => {
    const incoming = JSON.parse((data as Buffer).toString('utf8')) as Record<string, string>;
    const message = {
      id: randomUUID(),
      sender: incoming.sender === 'admin' ? 'admin' : 'agency',
      content: incoming.content,
      timestamp: incoming.timestamp ?? new Date().toISOString(),
    };
    const frame = JSON.stringify(message);
    pool
      .query(
        `WITH stored AS (
           INSERT INTO chat_messages (id, client_id, sender_id, agency_id, sender, content, timestamp)
           SELECT $1, $2, $3, id, $4, $5, $6 FROM agencies ORDER BY created_at LIMIT 1
           RETURNING 1
         )
         SELECT pg_notify($7, $8) FROM stored`,
        [
          message.id,
          incoming.id,
          socketId,
          message.sender,
          message.content,
          message.timestamp,
          CHANNEL,
          `${socketId} ${frame}`,
        ],
      )
      .catch((error: unknown) => console.error(error));
  });
});

await listener.connect();
await listener.query(`LISTEN ${CHANNEL}`);
listener.on('notification', ({ payload }) => {
  const space = payload!.indexOf(' ');
  const from = payload!.slice(0, space);
  const frame = payload!.slice(space + 1);
  for (const [id, client] of sockets) if (id !== from && client.readyState === WebSocket.OPEN) client.send(frame);
});
server.listen(0, '127.0.0.1', () => serveCoordinator((server.address() as { port: number }).port));
