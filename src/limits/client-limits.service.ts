import type { Actor } from '../access/actor.js';
import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';

export type StreamKind = 'sse' | 'chat';

/**
 * How many long-lived connections (SSE streams, chat sockets) each client holds
 * on this process. A client is its address today; once tokens exist, their `sub`.
 */
@Injectable()
export class ClientLimits {
  readonly enabled: boolean;
  readonly maxStreams: number;
  private readonly open = new Map<string, number>();

  constructor(config: ConfigService<Environment, true>) {
    this.enabled = config.get('RATE_LIMITS', { infer: true }) === 'on';
    this.maxStreams = config.get('RATE_LIMIT_STREAMS', { infer: true });
  }

  /** Counts one more connection of `kind` for `client`; its release function, or null past the limit. */
  tryAcquire(kind: StreamKind, client: string): (() => void) | null {
    const key = `${kind} ${client}`;
    const count = this.open.get(key) ?? 0;
    if (this.enabled && count >= this.maxStreams) return null;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }

  /** Like tryAcquire, but throws the 429 an HTTP route answers. */
  acquire(kind: StreamKind, client: string): () => void {
    const release = this.tryAcquire(kind, client);
    if (!release) throw new TooManyStreamsException(kind, this.maxStreams);
    return release;
  }
}

export class TooManyStreamsException extends HttpException {
  constructor(kind: StreamKind, max: number) {
    const what = kind === 'sse' ? 'notification streams' : 'chat sockets';
    super(
      { message: `Too many open ${what}: at most ${max} per client; close one first`, error: 'Too Many Requests' },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** Whom per-client limits count: the token's user when there is one, else the client's address. */
export function clientKey(address: string | undefined, actor?: Actor): string {
  return actor?.kind === 'user' ? `user:${actor.sub}` : (address ?? '');
}
