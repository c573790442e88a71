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

/**
 * A URL with the value of every parameter that decodes to `access_token` replaced (`access%5Ftoken`
 * is read as one too): tokens never reach a log line, whatever their spelling.
 */
export function redactAccessToken(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const end = url.indexOf('#', start) === -1 ? url.length : url.indexOf('#', start);
  const query = url
    .slice(start + 1, end)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return decodedName(name).toLowerCase() === 'access_token' ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, start + 1)}${query}${url.slice(end)}`;
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
