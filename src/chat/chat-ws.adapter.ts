import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { CHAT_FRAME_EVENT } from './chat.gateway.js';

/**
 * The dashboard sends plain JSON frames, not Nest's `{event, data}` envelope:
 * hand every text frame to the chat gateway as it is (it validates), and refuse
 * frames over `maxFrameBytes` (ws closes such a connection with 1009).
 */
export class ChatWsAdapter extends WsAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly maxFrameBytes: number,
  ) {
    super(app, {
      messageParser: (data) => ({
        event: CHAT_FRAME_EVENT,
        data: Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : String(data),
      }),
    });
  }

  override create(port: number, options: Record<string, unknown> & { path?: string } = {}): unknown {
    return super.create(port, { ...options, maxPayload: this.maxFrameBytes });
  }
}
