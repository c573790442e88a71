import { BadRequestException, ParseUUIDPipe, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

/** Car, booking and review ids are UUIDs: anything else is a 400, not a database error. */
export const UuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException('Malformed id: expected a UUID'),
});

/** Notification ids are positive integers (their sequence number). */
const SEQUENCE_ID = '^[1-9][0-9]{0,17}$';
const SEQUENCE_ID_PATTERN = new RegExp(SEQUENCE_ID);

export class SequenceIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SEQUENCE_ID_PATTERN.test(value)) throw new BadRequestException('Malformed id: expected a positive integer');
    return value;
  }
}

/** Documents the `:id` (or another named UUID parameter) of a car, booking or review route. */
export const ApiUuidParam = (name = 'id') =>
  ApiParam({ name, format: 'uuid', schema: { type: 'string', format: 'uuid' } });

/** Documents the `:id` of a notification route. */
export const ApiSequenceParam = () =>
  ApiParam({ name: 'id', schema: { type: 'string', pattern: SEQUENCE_ID }, description: 'Notification id' });

/** A sub as a path segment: text of at most 255 characters, no control characters. */
export class SubPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    // eslint-disable-next-line no-control-regex
    if (value.length === 0 || value.length > 255 || /[\u0000-\u001f\u007f]/.test(value)) {
      throw new BadRequestException('sub must be 1 to 255 characters of text');
    }
    return value;
  }
}

/** An optional issuer in the query: text of at most 1000 characters. */
export class IssuerPipe implements PipeTransform<unknown, string | undefined> {
  transform(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length > 1000) throw new BadRequestException('issuer must be text');
    return value;
  }
}
