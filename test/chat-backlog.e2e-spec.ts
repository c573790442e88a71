import type { Socket } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { ChatGateway } from '../src/chat/chat.gateway.js';
import { createTestApp } from './support/app.js';
import { waitFor } from './support/wait.js';
import { openWs } from './support/ws.js';

describe('Chat with a client that stops reading', () => {
  it('closes its socket once its backlog passes CHAT_MAX_BACKLOG_BYTES, and keeps serving the others', async () => {
    const t = await createTestApp({
      CHAT_MAX_BACKLOG_BYTES: '1024',
      CHAT_MAX_CONTENT_LENGTH: '60000',
      CHAT_MAX_FRAME_BYTES: '65536',
    });
    const gateway = t.app.get(ChatGateway);
    const sender = await openWs(t.url);
    const reader = await openWs(t.url);
    const stalled = await openWs(t.url);
    (stalled.socket as unknown as { _socket: Socket })._socket.pause(); // reads nothing from now on
    expect(gateway.openSockets).toBe(3);

    const content = 'x'.repeat(50_000);
    const total = 400; // 20 MB: more than the loopback socket buffers hold for the stalled client
    for (let i = 0; i < total; i++) sender.send({ id: `big-${i}`, sender: 'agency', content });
    await reader.waitForFrames(total, 30_000);
    await waitFor(() => (gateway.openSockets === 2 ? true : undefined), 5000, 'the stalled socket to be closed');
    expect(reader.socket.readyState).toBe(WebSocket.OPEN);
    await Promise.all([sender.close(), reader.close()]);
    stalled.socket.terminate();
    await t.close();
  }, 60_000);
});
