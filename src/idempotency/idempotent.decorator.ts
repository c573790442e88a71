import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/** This POST honours `Idempotency-Key`: a retry with the same key gets the first response again. */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any 1-255 visible ASCII characters, unique per intended request. A retry with the same key and body ' +
        'gets the first response again (with Idempotent-Replayed: true) for 24 hours.',
    }),
    ApiConflictResponse({ description: 'A request with the same Idempotency-Key is still in progress' }),
    ApiUnprocessableEntityResponse({ description: 'The Idempotency-Key was used with a different request' }),
  );
