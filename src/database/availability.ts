import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { QueryFailedError, type DataSource } from 'typeorm';

/** What a client is told while the database cannot answer; it may retry after `RETRY_AFTER_SECONDS`. */
export const DATABASE_UNAVAILABLE_MESSAGE = 'Database unavailable, retry shortly';
export const RETRY_AFTER_SECONDS = 2;

/**
 * SQLSTATEs that mean "the database cannot serve this now", not "bad input" or
 * "our bug": connection exceptions (class 08), admin shutdown, crash shutdown,
 * cannot connect now, too many connections, statement timeout / cancel,
 * and the transient serialization and deadlock failures.
 */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '40001', '40P01']);
/** Node socket errors seen while the server is down or restarting. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** node-postgres errors without a code: a pool wait or connect timeout, a connection that died. */
const DRIVER_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'connection error and is not queryable',
  'Client was closed and is not queryable',
  'Query read timeout',
  'Cannot use a pool after calling end on the pool',
];

/** True when `error` (or the driver error a TypeORM error wraps) means the database is unreachable or overloaded. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const candidates = [error];
  if (error instanceof QueryFailedError) candidates.push(error.driverError);
  if (error instanceof Error && error.cause) candidates.push(error.cause);
  return candidates.some((candidate) => {
    if (typeof candidate !== 'object' || candidate === null) return false;
    const { code, message, name } = candidate as { code?: unknown; message?: unknown; name?: unknown };
    // TypeORM releases a transaction's query runner when its connection dies; what runs next in
    // that transaction (its ROLLBACK included) fails with this instead of the connection error.
    if (name === 'QueryRunnerAlreadyReleasedError') return true;
    if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_CODES.has(code) || SOCKET_CODES.has(code))) {
      return true;
    }
    return typeof message === 'string' && DRIVER_MESSAGES.some((known) => message.includes(known));
  });
}

/** The one back-off: the wait before retry number `attempt` (1, 2, …): 250 ms, doubling, at most 2 s. */
export function backoffMs(attempt: number): number {
  return Math.min(250 * 2 ** Math.max(0, attempt - 1), 2000);
}

/** A caller that may stop wanting an answer (a Subscription is one): `patiently` checks it before each retry. */
export interface Cancellation {
  readonly closed: boolean;
}

/** Thrown by `patiently` when its caller was cancelled while it waited. */
export class Cancelled extends Error {
  constructor() {
    super('Cancelled while waiting for the database');
  }
}

/**
 * Runs `work`, and while it fails because the database is unavailable, again after the back-off,
 * until it succeeds, fails for another reason, `patienceMs` runs out (the last error is thrown) or
 * the caller is cancelled (`Cancelled` is thrown after the current wait).
 */
export async function patiently<T>(
  work: () => Promise<T>,
  { until, patienceMs = Infinity }: { until?: Cancellation; patienceMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + patienceMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const delay = backoffMs(attempt);
      if (!isDatabaseUnavailable(error) || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (until?.closed) throw new Cancelled();
    }
  }
}

/**
 * Whether the database is there right now: the one place that asks, for the exception filter (an
 * error no rule recognises, raised during an outage, is still an outage) and the readiness check.
 */
@Injectable()
export class DatabaseAvailability {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether `SELECT 1` gets an answer within `timeoutMs` (false on any error). */
  async reachable(timeoutMs = 1000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([
        this.dataSource.query('SELECT 1').then(
          () => true,
          () => false,
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
