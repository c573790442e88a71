import { Observable } from 'rxjs';
import { atExpiry, isUser, type Actor } from '../access/actor.js';

/** Emits once when `actor`'s token expires (never in open mode): a stream or socket then ends, and its client reconnects with a fresh token. */
export function tokenExpiry(actor: Actor): Observable<void> {
  return new Observable<void>((subscriber) => {
    if (!isUser(actor)) return undefined;
    return atExpiry(actor, () => subscriber.next());
  });
}
