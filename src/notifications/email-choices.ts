import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsBoolean, IsObject, IsOptional, ValidateNested } from 'class-validator';

/** The notification categories one may choose e-mails for; `account` e-mails are always sent. */
export const EMAIL_CATEGORIES = ['booking', 'review', 'message', 'complaint', 'account'] as const;
export type EmailCategory = (typeof EMAIL_CATEGORIES)[number];

/** Which e-mails someone wants, as stored: a category absent is on. */
export type EmailChoices = Partial<Record<EmailCategory, boolean>>;

/** What PATCH /users/me and an agency's profile take: the categories given change, the others stay. */
export class EmailChoicesDto {
  @ApiPropertyOptional({ description: 'Bookings: new, confirmed, cancelled…' })
  @IsOptional()
  @IsBoolean()
  booking?: boolean;

  @ApiPropertyOptional({ description: 'Reviews and replies' })
  @IsOptional()
  @IsBoolean()
  review?: boolean;

  @ApiPropertyOptional({ description: 'Messages about a booking' })
  @IsOptional()
  @IsBoolean()
  message?: boolean;

  @ApiPropertyOptional({ description: 'Complaints and support requests' })
  @IsOptional()
  @IsBoolean()
  complaint?: boolean;

  @ApiPropertyOptional({ description: 'Suspension, verification, approval: always sent (only true is accepted)' })
  @IsOptional()
  @Equals(true, {
    message: 'account cannot be turned off: suspension and verification e-mails are always sent',
  })
  account?: boolean;
}

/** A profile's `emailNotifications` field (a user's, an agency's): optional, validated as EmailChoicesDto. */
export function EmailChoicesField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: EmailChoicesDto,
      description:
        'Which e-mails to receive, by category (those not given stay as they are; account ones are always sent)',
    }),
    IsOptional(),
    IsObject(),
    ValidateNested(),
    Type(() => EmailChoicesDto),
  );
}

/** Every category's choice, as a profile shows it. */
export class EmailChoicesResponse {
  @ApiProperty() booking: boolean;
  @ApiProperty() review: boolean;
  @ApiProperty() message: boolean;
  @ApiProperty() complaint: boolean;
  @ApiProperty({ description: 'Always true' }) account: boolean;
}

export function emailChoicesOf(stored: EmailChoices | null | undefined): EmailChoicesResponse {
  const on = (category: EmailCategory) => category === 'account' || stored?.[category] !== false;
  return {
    booking: on('booking'),
    review: on('review'),
    message: on('message'),
    complaint: on('complaint'),
    account: true,
  };
}

/** `stored` with the categories of `change` set as given. */
export function changeEmailChoices(stored: EmailChoices | null | undefined, change: EmailChoicesDto): EmailChoices {
  const next: EmailChoices = { ...stored };
  for (const category of EMAIL_CATEGORIES) {
    const value = change[category];
    if (value !== undefined && category !== 'account') next[category] = value;
  }
  return next;
}
