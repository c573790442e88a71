import type { NextFunction, Request, Response } from 'express';
import { hostname, networkInterfaces } from 'node:os';

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
  /** Open mode: the Host names this API answers to (see allowsHost). */
  private readonly hosts: Set<string>;

  constructor(setting: string | undefined, mode: 'open' | 'token') {
    const value = setting?.trim();
    this.any = value === '*' || (value === undefined && mode === 'token');
    this.listed = new Set(
      value && value !== '*' ? value.split(',').map((origin) => origin.trim().replace(/\/$/, '').toLowerCase()) : [],
    );
    this.loopback = mode === 'open';
    this.hosts = new Set([
      'localhost',
      '[::1]',
      hostname().toLowerCase(),
      ...Object.values(networkInterfaces())
        .flat()
        .map((address) => (address?.family === 'IPv6' ? `[${address.address}]` : (address?.address ?? ''))),
      ...[...this.listed].map((origin) => hostOf(origin)),
    ]);
  }

  /**
   * Open mode: whether a request names this machine in its Host header (localhost, 127.x, [::1], the
   * machine's own name and addresses, the hosts of CORS_ORIGINS). A page of another site that a DNS
   * rebinding points at 127.0.0.1 sends its own name, and no Origin on a same-origin GET: the Host
   * header is what tells it apart.
   */
  allowsHost(host: string | undefined): boolean {
    if (!this.loopback) return true;
    const name = hostOf(`http://${host ?? ''}`);
    return this.hosts.has(name) || /^127(?:\.\d{1,3}){3}$/.test(name);
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
    if (!this.allows(origin)) {
      response.status(403).json({ statusCode: 403, message: refusal(origin!), error: 'Forbidden' });
      return;
    }
    if (!this.allowsHost(request.headers.host) && !HEALTH.test(request.path)) {
      response.status(403).json({ statusCode: 403, message: hostRefusal(request.headers.host), error: 'Forbidden' });
      return;
    }
    next();
  };
}

/** Why a page's request or socket was refused. */
export function refusal(origin: string): string {
  return (
    `Origin ${origin} is not allowed: without authentication (open mode) only pages served from this ` +
    'machine may call the API; list other dashboards in CORS_ORIGINS'
  );
}

/** Health checks answer whatever the Host: load balancers name the node as they please, and they tell nothing. */
const HEALTH = /^\/(?:.*\/)?health(?:\/ready)?\/?$/;

/** The host name of a URL, lower case, IPv6 in brackets; '' when it is not one. */
function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** Why a request that names another host was refused (open mode). */
export function hostRefusal(host: string | undefined): string {
  return (
    `Host ${host ?? '(none)'} is not this machine: without authentication (open mode) the API answers only ` +
    'requests addressed to localhost, 127.0.0.1, [::1] or its own name; list other hosts in CORS_ORIGINS'
  );
}
