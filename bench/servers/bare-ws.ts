/** Baseline for the chat broadcast: a bare ws server that serializes once and sends to every other socket. */
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { serveCoordinator } from './child.js';

const server = createServer();
const wss = new WebSocketServer({ server, path: '/ws/chat' });
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>;
    const frame = JSON.stringify({ ...message, timestamp: message.timestamp ?? new Date().toISOString() });
    for (const client of wss.clients) {
      if (client !== socket && client.readyState === WebSocket.OPEN) client.send(frame);
    }
  });
});
server.listen(0, '127.0.0.1', () => serveCoordinator((server.address() as { port: number }).port));
