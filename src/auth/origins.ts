import type { NextFunction, Request, Response } from 'express';

/** http(s)://localhost, 127.x.x.x or [::1], any port: pages served from this machine. */
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

/**
 * Which web pages may call the API from a browser. CORS_ORIGINS `*` lets any page in, a list those
 * pages; unset, token mode lets any page in (a browser never sends a bearer token on its own, so a
 * foreign page gains nothing) while open mode — where being on this machine is the only credential,
 * and the developer's browser is on it — lets in only pages served from this machine.
 */
export class OriginPolicy {
  private readonly listed: Set<string>;
  private readonly any: boolean;
  private readonly loopback: boolean;

  constructor(setting: string | undefined, mode: 'open' | 'token') {
    const value = setting?.trim();
    this.any = value === '*' || (value === undefined && mode === 'token');
    this.listed = new Set(
      value && value !== '*' ? value.split(',').map((origin) => origin.trim().replace(/\/$/, '').toLowerCase()) : [],
    );
    this.loopback = mode === 'open';
  }

  /** Whether a request or socket carrying this Origin header may go on (no header: not from a page). */
  allows(origin: string | undefined): boolean {
    if (origin === undefined || this.any) return true;
    return this.listed.has(origin.toLowerCase()) || (this.loopback && LOOPBACK_ORIGIN.test(origin));
  }

  /** The `origin` option of the CORS middleware: reflect an allowed origin, send nothing for others. */
  readonly cors = (origin: string | undefined, done: (error: Error | null, allow?: boolean) => void): void =>
    done(null, this.allows(origin));

  /** Open mode: a request from a page this policy does not allow gets 403 before anything runs. */
  readonly refuseForeignPages = (request: Request, response: Response, next: NextFunction): void => {
    const origin = request.headers.origin;
    if (this.allows(origin)) {
      next();
      return;
    }
    response.status(403).json({ statusCode: 403, message: refusal(origin!), error: 'Forbidden' });
  };
}

/** Why a page's request or socket was refused. */
export function refusal(origin: string): string {
  return (
    `Origin ${origin} is not allowed: without authentication (open mode) only pages served from this ` +
    'machine may call the API; list other dashboards in CORS_ORIGINS'
  );
}
