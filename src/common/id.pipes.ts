import { BadRequestException, ParseUUIDPipe, PipeTransform } from '@nestjs/common';

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
