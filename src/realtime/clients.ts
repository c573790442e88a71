import { Observable } from 'rxjs';
import { atExpiry, isUser, type Actor } from '../access/actor.js';

/**
 * The slow-client policy of every live transport: a client may leave this much of what it was sent
 * unread (SSE: characters of events queued for it; chat: bytes buffered on its socket) before it is
 * dropped. It reconnects and resumes where it stood (Last-Event-ID, chat history), so dropping it
 * costs it nothing, and no process buffers without bound for a client that stopped reading.
 */
export const MAX_CLIENT_BACKLOG = 1024 * 1024;

/** Emits once when `actor`'s token expires (never in open mode): a stream or socket then ends, and its client reconnects with a fresh token. */
export function tokenExpiry(actor: Actor): Observable<void> {
  return new Observable<void>((subscriber) => {
    if (!isUser(actor)) return undefined;
    return atExpiry(actor, () => subscriber.next());
  });
}
