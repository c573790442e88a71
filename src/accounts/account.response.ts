import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { emailChoicesOf, EmailChoicesResponse } from '../notifications/email-choices.js';
import { ACCOUNT_STATUSES, type Account, type AccountStatus } from './account.entity.js';

export class AccountResponse {
  @ApiProperty() sub: string;
  @ApiProperty({ description: "The token's issuer ('' when it has none)" }) issuer: string;
  @ApiProperty({ enum: ['admin', 'agency', 'renter'] }) role: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: 'string' }) agencyId: string | null;
  @ApiProperty({ description: "The display name: the token's, else first and last name; '' when unknown" })
  name: string;
  @ApiProperty({ description: "'' when unknown" }) email: string;
  @ApiProperty({ enum: ACCOUNT_STATUSES }) status: AccountStatus;
  @ApiProperty({ description: "'' when not given" }) firstName: string;
  @ApiProperty({ description: "'' when not given" }) lastName: string;
  @ApiProperty({ description: "'' when not given" }) phone: string;
  @ApiProperty({ description: "A BCP 47 language tag; '' when not given" }) locale: string;
  @ApiProperty({ description: "'' when not given" }) avatarUrl: string;
  @ApiProperty({ type: EmailChoicesResponse, description: 'Which e-mails they receive, by category' })
  emailNotifications: EmailChoicesResponse;
  @ApiProperty({ format: 'date-time' }) firstSeenAt: string;
  @ApiProperty({ format: 'date-time', description: 'Updated at most every 10 minutes' }) lastSeenAt: string;
  @ApiPropertyOptional({
    description: 'A renter: a driving licence of theirs is approved (GET /users/me and /users/:sub)',
  })
  verified?: boolean;
}

export function toAccountResponse(account: Account): AccountResponse {
  return {
    sub: account.sub,
    issuer: account.issuer,
    role: account.role,
    agencyId: account.agencyId,
    name: displayName(account),
    email: account.email ?? '',
    status: account.status,
    firstName: account.firstName ?? '',
    lastName: account.lastName ?? '',
    phone: account.phone ?? '',
    locale: account.locale ?? '',
    avatarUrl: account.avatarUrl ?? '',
    emailNotifications: emailChoicesOf(account.emailNotifications),
    firstSeenAt: account.firstSeenAt.toISOString(),
    lastSeenAt: account.lastSeenAt.toISOString(),
  };
}

/** A user as the admin lists them: the account, and what they did here. */
export class UserSummaryResponse extends AccountResponse {
  @ApiProperty({ type: 'integer', description: 'Bookings they made as a renter' }) bookingCount: number;
  @ApiProperty({ type: 'integer', description: 'Reviews they wrote (removed ones too)' }) reviewCount: number;
}

/** The name shown: the token's, else the profile's first and last name, else ''. */
function displayName(account: Account): string {
  return account.name ?? [account.firstName, account.lastName].filter(Boolean).join(' ');
}
