import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError, type DomainErrorKind } from './domain-errors.js';
import { routeOf } from './route-of.js';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../database/availability.js';

export interface ErrorBody {
  statusCode: number;
  message: string;
  error?: string;
  errors?: string[];
}

/** An error answer: its body, and headers that go with it (Retry-After). */
export interface ErrorAnswer {
  body: ErrorBody;
  headers: Record<string, string>;
  /** For the log: which database rule a 400/409 came from. */
  constraint?: string;
}

/** What each domain error means in HTTP: the one place that decides it. */
const DOMAIN_STATUS: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  'not-allowed': HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unsupported: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
};

/** Named constraints whose violation deserves its own message. */
const CONSTRAINT_MESSAGES: Record<string, string> = {
  bookings_no_overlap: 'The car is already booked for an overlapping period',
};

/**
 * PostgreSQL error codes that mean "your input". `warn`: validation should have
 * caught it first, so its arrival here may be our bug (a missing default, a
 * missing rule): the client still gets its 400, and the log shows it.
 */
const DATABASE_ERRORS: Record<string, { status: number; message: string; warn?: true }> = {
  '23P01': { status: HttpStatus.CONFLICT, message: 'This conflicts with an existing record' },
  '23505': { status: HttpStatus.CONFLICT, message: 'A record with the same key already exists' },
  '23503': { status: HttpStatus.BAD_REQUEST, message: 'A referenced record does not exist' },
  '23514': { status: HttpStatus.BAD_REQUEST, message: 'A value is outside its allowed range', warn: true },
  '23502': { status: HttpStatus.BAD_REQUEST, message: 'A required value is missing', warn: true },
  '22P02': { status: HttpStatus.BAD_REQUEST, message: 'A value has the wrong format', warn: true },
  '22003': { status: HttpStatus.BAD_REQUEST, message: 'A number is out of range', warn: true },
  '22007': { status: HttpStatus.BAD_REQUEST, message: 'A date has the wrong format', warn: true },
  '22008': { status: HttpStatus.BAD_REQUEST, message: 'A date is out of range', warn: true },
  '22001': { status: HttpStatus.BAD_REQUEST, message: 'A value is too long', warn: true },
  '22021': { status: HttpStatus.BAD_REQUEST, message: 'A value contains characters that cannot be stored', warn: true },
};

/** 503 + Retry-After: the database cannot answer now. */
function unavailableAnswer(): ErrorAnswer & { unavailable: true } {
  return {
    body: {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      message: DATABASE_UNAVAILABLE_MESSAGE,
      error: STATUS_CODES[HttpStatus.SERVICE_UNAVAILABLE],
    },
    headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    unavailable: true,
  };
}

/** The contract's error body for any exception; 500 only for what is truly our fault. */
export function toErrorAnswer(
  exception: unknown,
): ErrorAnswer & { unexpected?: true; warn?: true; unavailable?: true } {
  const answer = (statusCode: number, message: string, extra: Partial<ErrorBody> = {}) => ({
    body: { statusCode, message, error: STATUS_CODES[statusCode], ...extra },
    headers: {} as Record<string, string>,
  });
  if (exception instanceof DomainError) return answer(DOMAIN_STATUS[exception.kind], exception.message);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const payload = exception.getResponse();
    if (typeof payload === 'string') return answer(status, payload);
    const { message, error, errors } = payload as { message?: unknown; error?: unknown; errors?: unknown };
    const name = typeof error === 'string' ? error : STATUS_CODES[status];
    if (Array.isArray(message)) {
      const list = message.map(String);
      return answer(status, list.join('; '), { error: name, errors: list });
    }
    const text = typeof message === 'string' ? message : exception.message;
    // A stored answer replayed (Idempotency-Key) keeps its list of validation problems.
    return answer(status, text, Array.isArray(errors) ? { error: name, errors: errors.map(String) } : { error: name });
  }
  if (isDatabaseUnavailable(exception)) return unavailableAnswer();
  if (exception instanceof QueryFailedError) {
    const { code = '', constraint } = exception.driverError as { code?: string; constraint?: string };
    const known = DATABASE_ERRORS[code];
    if (known) {
      const message = (constraint && CONSTRAINT_MESSAGES[constraint]) || known.message;
      return { ...answer(known.status, message), constraint: constraint ?? code, ...(known.warn && { warn: true }) };
    }
  }
  // body-parser and similar express middleware errors carry their own status (413, 400 for bad JSON, ...)
  const status = (exception as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return answer(status, (exception as Error).message);
  }
  return { ...answer(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error'), unexpected: true };
}

/**
 * Shapes every HTTP error into the contract's body `{statusCode, message, error}`:
 * `message` is always one human-readable string; validation details go in `errors`.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  /**
   * `databaseReachable` is asked before answering 500: an error no rule recognises, raised while
   * the database cannot be reached (a connection dying mid-transaction surfaces in more shapes than
   * the driver documents), is still an outage for the client — 503 with Retry-After — and is
   * logged at error with its stack, so the shape can be added to the rules.
   */
  constructor(private readonly databaseReachable?: () => Promise<boolean>) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const answer = toErrorAnswer(exception);
    if (!answer.unexpected || !this.databaseReachable) {
      this.answer(exception, host, answer);
      return;
    }
    void this.databaseReachable().then(
      (reachable) => this.answer(exception, host, reachable ? answer : { ...unavailableAnswer(), outage: true }),
      () => this.answer(exception, host, { ...unavailableAnswer(), outage: true }),
    );
  }

  private answer(
    exception: unknown,
    host: ArgumentsHost,
    answer: ReturnType<typeof toErrorAnswer> & { outage?: true },
  ): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const route = `${request.method} ${routeOf(request)}`;
    const stack = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
    if (answer.outage) {
      this.logger.error(`${route}: an unrecognised error while the database is unreachable (answered 503): ${stack}`);
    } else if (answer.unexpected) {
      this.logger.error(`${route}: ${stack}`);
    } else if (answer.warn) {
      this.logger.warn(`${route}: the database refused a value (${answer.constraint}); validation let it through`);
    } else if (answer.unavailable) {
      this.logger.warn(`${route}: database unavailable (${exception instanceof Error ? exception.message : ''})`);
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    response.set(answer.headers).status(answer.body.statusCode).json(answer.body);
  }
}
