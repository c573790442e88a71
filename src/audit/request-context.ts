import { AsyncLocalStorage } from 'node:async_hooks';

/** The request being served, for what is recorded in its name (the audit trail's request id). */
export const requestContext = new AsyncLocalStorage<{ request: { id?: unknown } }>();

/** The X-Request-Id of the request being served (pino-http sets `request.id`), or null outside one. */
export function currentRequestId(): string | null {
  const id = requestContext.getStore()?.request.id;
  return typeof id === 'string' ? id : null;
}
