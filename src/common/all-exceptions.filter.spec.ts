import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { captureLogs } from '../../test/support/captured-logs.js';
import { NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AllExceptionsFilter, toErrorAnswer } from './all-exceptions.filter.js';
import { Conflict, InvalidInput, NotAllowed, NotFound } from './domain-errors.js';

const queryError = (driverError: { code?: string; constraint?: string; message?: string }) =>
  new QueryFailedError('SELECT 1', [], Object.assign(new Error(driverError.message ?? 'failed'), driverError));
const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('toErrorAnswer', () => {
  it.each([
    [new InvalidInput('endDate must be after startDate'), 400, 'Bad Request'],
    [new NotAllowed('A renter may only cancel a booking'), 403, 'Forbidden'],
    [new NotFound('Booking not found'), 404, 'Not Found'],
    [new Conflict('This complaint is rejected: its thread is closed'), 409, 'Conflict'],
  ])('answers a domain error (%s) with its status and message', (error, statusCode, name) => {
    expect(toErrorAnswer(error).body).toEqual({ statusCode, message: error.message, error: name });
  });

  it.each([
    ['admin shutdown (57P01)', queryError({ code: '57P01' })],
    ['cannot connect now (57P03)', queryError({ code: '57P03' })],
    ['a connection failure (08006)', queryError({ code: '08006' })],
    ['too many connections (53300)', queryError({ code: '53300' })],
    ['a statement timeout (57014)', queryError({ code: '57014' })],
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', withCode('ECONNRESET')],
    ['a pool wait timeout', new Error('timeout exceeded when trying to connect')],
    ['a connection that died', queryError({ message: 'Connection terminated unexpectedly' })],
    [
      'a transaction whose connection died',
      Object.assign(new Error('Query runner already released'), { name: 'QueryRunnerAlreadyReleasedError' }),
    ],
  ])('answers %s with 503 + Retry-After, never naming the host', (_name, error) => {
    const answer = toErrorAnswer(error);
    expect(answer.body).toEqual({
      statusCode: 503,
      message: 'Database unavailable, retry shortly',
      error: 'Service Unavailable',
    });
    expect(answer.headers).toEqual({ 'Retry-After': '2' });
  });

  it.each([
    ['23502', 400],
    ['23514', 400],
    ['22P02', 400],
    ['22003', 400],
    ['22007', 400],
    ['22008', 400],
  ])('answers %s with %i and marks it for a warning (validation should have caught it)', (code, status) => {
    const answer = toErrorAnswer(queryError({ code, constraint: 'cars_price_positive' }));
    expect(answer.body.statusCode).toBe(status);
    expect(answer.warn).toBe(true);
    expect(answer.constraint).toBe('cars_price_positive');
  });

  it('names the overlap constraint in its 409, without a warning', () => {
    const answer = toErrorAnswer(queryError({ code: '23P01', constraint: 'bookings_no_overlap' }));
    expect(answer.body).toEqual({
      statusCode: 409,
      message: 'The car is already booked for an overlapping period',
      error: 'Conflict',
    });
    expect(answer.warn).toBeUndefined();
  });

  it('keeps HTTP exceptions as they are, with the error name', () => {
    expect(toErrorAnswer(new NotFoundException('Car not found')).body).toEqual({
      statusCode: 404,
      message: 'Car not found',
      error: 'Not Found',
    });
  });

  it('answers anything else with a 500 it flags as unexpected', () => {
    const answer = toErrorAnswer(new TypeError('x is undefined'));
    expect(answer.body).toEqual({ statusCode: 500, message: 'Internal server error', error: 'Internal Server Error' });
    expect(answer.unexpected).toBe(true);
  });
});

describe('AllExceptionsFilter', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  /** Catches `error` on a fake HTTP request and resolves with what was answered. */
  const answerTo = (filter: AllExceptionsFilter, error: unknown) =>
    new Promise<{ status: number; headers: Record<string, string>; body: unknown }>((resolve) => {
      const sent = { status: 0, headers: {} as Record<string, string> };
      const response = {
        headersSent: false,
        set: (headers: Record<string, string>) => (Object.assign(sent.headers, headers), response),
        status: (status: number) => ((sent.status = status), response),
        json: (body: unknown) => resolve({ ...sent, body }),
      };
      const host = {
        getType: () => 'http',
        switchToHttp: () => ({
          getResponse: () => response,
          getRequest: () => ({ method: 'POST', path: '/bookings' }),
        }),
      } as unknown as ArgumentsHost;
      filter.catch(error, host);
    });

  it('answers an unrecognised error 500 while the database answers, 503 + Retry-After while it does not', async () => {
    const strange = new Error('an error shape no rule knows');
    expect(await answerTo(new AllExceptionsFilter(() => Promise.resolve(true)), strange)).toMatchObject({
      status: 500,
      body: { statusCode: 500, message: 'Internal server error' },
    });
    expect(await answerTo(new AllExceptionsFilter(() => Promise.resolve(false)), strange)).toEqual({
      status: 503,
      headers: { 'Retry-After': '2' },
      body: { statusCode: 503, message: 'Database unavailable, retry shortly', error: 'Service Unavailable' },
    });
    // A known answer never waits for the probe.
    expect(
      await answerTo(new AllExceptionsFilter(() => Promise.reject(new Error('not asked'))), new NotFoundException()),
    ).toMatchObject({ status: 404 });
    expect(logs.lines.map(({ level, message }) => [level, message.split('\n')[0]])).toEqual([
      ['error', 'POST /bookings: Error: an error shape no rule knows'],
      [
        'error',
        'POST /bookings: an unrecognised error while the database is unreachable (answered 503): Error: an error shape no rule knows',
      ],
    ]);
  });
});
