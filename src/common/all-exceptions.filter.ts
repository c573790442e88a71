import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';

interface ErrorBody {
  statusCode: number;
  message: string;
  error?: string;
  errors?: string[];
}

/** Named constraints whose violation deserves its own message. */
const CONSTRAINT_MESSAGES: Record<string, string> = {
  bookings_no_overlap: 'The car is already booked for an overlapping period',
};

/** PostgreSQL error codes that mean "your input", never "our bug". */
const DATABASE_ERRORS: Record<string, { status: number; message: string }> = {
  '23P01': { status: HttpStatus.CONFLICT, message: 'This conflicts with an existing record' },
  '23505': { status: HttpStatus.CONFLICT, message: 'A record with the same key already exists' },
  '23503': { status: HttpStatus.BAD_REQUEST, message: 'A referenced record does not exist' },
  '23514': { status: HttpStatus.BAD_REQUEST, message: 'A value is outside its allowed range' },
  '23502': { status: HttpStatus.BAD_REQUEST, message: 'A required value is missing' },
  '22P02': { status: HttpStatus.BAD_REQUEST, message: 'A value has the wrong format' },
  '22003': { status: HttpStatus.BAD_REQUEST, message: 'A number is out of range' },
  '22007': { status: HttpStatus.BAD_REQUEST, message: 'A date has the wrong format' },
  '22008': { status: HttpStatus.BAD_REQUEST, message: 'A date is out of range' },
};

/**
 * Shapes every HTTP error into the contract's body: `message` is always one
 * human-readable string; validation details go in `errors`.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'string') return { statusCode: status, message: payload };
      const { message, error } = payload as { message?: unknown; error?: string };
      if (Array.isArray(message)) {
        const errors = message.map(String);
        return { statusCode: status, message: errors.join('; '), error, errors };
      }
      return { statusCode: status, message: typeof message === 'string' ? message : exception.message, error };
    }
    if (exception instanceof QueryFailedError) {
      const { code = '', constraint = '' } = exception.driverError as { code?: string; constraint?: string };
      const known = DATABASE_ERRORS[code];
      if (known) {
        const message = CONSTRAINT_MESSAGES[constraint] ?? known.message;
        return { statusCode: known.status, message, error: STATUS_CODES[known.status] };
      }
    }
    // body-parser and similar express middleware errors carry their own status
    const status = (exception as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, message: (exception as Error).message };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
  }
}
