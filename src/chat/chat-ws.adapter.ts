import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { IncomingMessage } from 'node:http';
import { clientKey, type ClientLimits } from '../limits/client-limits.service.js';
import type { Actor } from '../access/actor.js';
import { UPGRADE_ACTOR, type UpgradeCheck } from './upgrade.js';
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
    private readonly limits: ClientLimits,
    /** The client's address, as Express's `trust proxy` sees it (the forwarded one behind a trusted balancer). */
    private readonly clientAddress: (request: IncomingMessage) => string,
    private readonly check: UpgradeCheck,
  ) {
    super(app, {
      messageParser: (data) => ({
        event: CHAT_FRAME_EVENT,
        data: Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Array.isArray(data)
            ? Buffer.concat(data).toString('utf8')
            : typeof data === 'string'
              ? data
              : Buffer.from(data).toString('utf8'),
      }),
    });
  }

  override create(port: number, options: Record<string, unknown> & { path?: string } = {}): unknown {
    return super.create(port, {
      ...options,
      maxPayload: this.maxFrameBytes,
      verifyClient: (info: { req: IncomingMessage }, accept: (ok: boolean, code?: number, reason?: string) => void) =>
        this.verifyClient(info.req, accept),
    });
  }

  /**
   * At the upgrade, before the handshake: who it is (401/403 otherwise, see UpgradeCheck), then a
   * client over its socket limit gets 429.
   */
  private verifyClient(request: IncomingMessage, accept: (ok: boolean, code?: number, reason?: string) => void): void {
    this.check(request).then(
      (result) => {
        if ('status' in result) {
          accept(false, result.status, result.reason);
          return;
        }
        const { actor } = result;
        const release = this.limits.tryAcquire('chat', clientKey(this.clientAddress(request), actor));
        if (!release) {
          accept(false, 429, `Too many open chat sockets: at most ${this.limits.maxStreams} per client`);
          return;
        }
        (request as IncomingMessage & { [UPGRADE_ACTOR]?: Actor })[UPGRADE_ACTOR] = actor;
        request.socket.once('close', release);
        accept(true);
      },
      () => accept(false, 503, 'Unavailable, retry shortly'),
    );
  }
}
