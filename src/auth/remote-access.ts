import type { NextFunction, Request, Response } from 'express';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

export const OPEN_MODE_REMOTE_MESSAGE =
  'This API runs without authentication (open mode) and answers only local clients. ' +
  'Set AUTH_JWT_SECRET or AUTH_JWKS_URL to turn tokens on, or ALLOW_REMOTE_WITHOUT_AUTH=true to open it to the network.';

/**
 * Open mode's protection, like Redis's protected mode: a request from anything but a loopback
 * address (the forwarded one behind a trusted proxy, see TRUST_PROXY) gets 403. Health checks stay
 * open for load balancers; they tell nothing.
 */
export function loopbackOnly(request: Request, response: Response, next: NextFunction): void {
  if (isLoopback(request.ip) || /^\/(?:.*\/)?health(?:\/ready)?\/?$/.test(request.path)) {
    next();
    return;
  }
  response.status(403).json({ statusCode: 403, message: OPEN_MODE_REMOTE_MESSAGE, error: 'Forbidden' });
}
