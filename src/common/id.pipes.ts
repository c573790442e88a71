import { BadRequestException, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

/** Car, booking and review ids are UUIDs: anything else is a 400, not a database error. */
export const UuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException('Malformed id: expected a UUID'),
});

/** Notification ids are positive integers (their sequence number). */
export class SequenceIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[1-9]\d{0,17}$/.test(value)) throw new BadRequestException('Malformed id: expected a positive integer');
    return value;
  }
}

/** Documents the `:id` of a car, booking or review route. */
export const ApiUuidParam = () => ApiParam({ name: 'id', format: 'uuid', schema: { type: 'string', format: 'uuid' } });

/** Documents the `:id` of a notification route. */
export const ApiSequenceParam = () =>
  ApiParam({ name: 'id', schema: { type: 'string', pattern: '^[1-9][0-9]{0,17}$' }, description: 'Notification id' });
