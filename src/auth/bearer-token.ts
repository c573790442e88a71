import type { IncomingMessage } from 'node:http';

/**
 * The token of `Authorization: Bearer …`, or with `fromQuery` of `?access_token=` (browsers cannot
 * set headers on EventSource or WebSocket). Undefined when there is none; an empty or malformed
 * Authorization header counts as a token that will fail verification, not as no token.
 */
export function bearerToken(request: IncomingMessage, fromQuery: boolean): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? '';
  if (!fromQuery) return undefined;
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get('access_token');
  return query ?? undefined;
}

/** A URL with its `access_token` replaced: tokens never reach a log line. */
export function redactAccessToken(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/gi, '$1[redacted]');
}
