import { actingKey, isUser, type Actor } from '../access/actor.js';
import { createHash } from 'node:crypto';
import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  Injectable,
  UnprocessableEntityException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { catchError, from, lastValueFrom, mergeMap, of, throwError, type Observable } from 'rxjs';
import { toErrorAnswer } from '../common/all-exceptions.filter.js';
import { routeOf } from '../common/route-of.js';
import { Transactions } from '../database/transactions.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { IdempotencyService } from './idempotency.service.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` (IETF httpapi draft) on a creating POST: the first request runs and its
 * response (status and body, errors included) is stored with the key for 24 hours; a retry with the
 * same key and body gets that response again with `Idempotent-Replayed: true`. The same key with
 * another body is 422; while the first is still running (for its lease at most), 409. A success is
 * stored in the transaction of the write it answers (the request transaction): both commit or
 * neither, so a retry never writes twice and never finds a key stuck. A 5xx is not stored: the
 * retry runs anew. Without the header, nothing changes.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly keys: IdempotencyRepository,
    private readonly transactions: Transactions,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.headers['idempotency-key'];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new BadRequestException('Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    // Keys belong to an identity in the role it acts in (token mode), else to the address: an answer
    // is never replayed to someone, or some role, that could not have read it.
    const actor = request.actor;
    const client = actor && isUser(actor) ? `user:${actingKey(actor)}` : (request.ip ?? '');
    const route = `${request.method} ${routeOf(request)}`;
    const fingerprint = createHash('sha256')
      .update(route)
      .update('\n')
      .update(canonicalJson(request.body))
      .digest('hex');

    return from(this.idempotency.claim(client, key, fingerprint)).pipe(
      mergeMap((claim) => {
        switch (claim.kind) {
          case 'mismatch':
            throw new UnprocessableEntityException('This Idempotency-Key was used with a different request');
          case 'in-progress':
            throw new ConflictException('A request with this Idempotency-Key is still in progress; retry later');
          case 'replay':
            response.setHeader('Idempotent-Replayed', 'true');
            if (claim.statusCode < 300) return of(claim.body);
            throw new HttpException(claim.body as Record<string, unknown>, claim.statusCode);
          case 'first':
            return this.run(next, client, key);
        }
      }),
    );
  }

  private run(next: CallHandler, client: string, key: string): Observable<unknown> {
    const write = this.transactions.request(() => lastValueFrom(next.handle(), { defaultValue: undefined }), {
      // Every route this guards is a creating POST: 201.
      close: (manager, body) => this.keys.answer(manager, client, key, HttpStatus.CREATED, body),
    });
    return from(write).pipe(
      catchError((error: unknown) => {
        const { body } = toErrorAnswer(error);
        // The write was rolled back: a refusal is stored on its own, a failure frees the key.
        const settle =
          body.statusCode < 500
            ? this.keys.answer(undefined, client, key, body.statusCode, body)
            : this.keys.release(client, key);
        // Settle the key, then answer with the original error.
        return from(settle.catch(() => undefined)).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }
}

/** JSON with object keys sorted, so the same body always has the same fingerprint. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
