import { ApiProperty } from '@nestjs/swagger';
import { ACCOUNT_STATUSES, type Account, type AccountStatus } from './account.entity.js';

export class AccountResponse {
  @ApiProperty() sub: string;
  @ApiProperty({ description: "The token's issuer ('' when it has none)" }) issuer: string;
  @ApiProperty({ enum: ['admin', 'agency', 'renter'] }) role: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: 'string' }) agencyId: string | null;
  @ApiProperty({ nullable: true, type: 'string' }) name: string | null;
  @ApiProperty({ nullable: true, type: 'string' }) email: string | null;
  @ApiProperty({ enum: ACCOUNT_STATUSES }) status: AccountStatus;
  @ApiProperty({ format: 'date-time' }) firstSeenAt: string;
  @ApiProperty({ format: 'date-time', description: 'Updated at most every 10 minutes' }) lastSeenAt: string;
}

export function toAccountResponse(account: Account): AccountResponse {
  return {
    sub: account.sub,
    issuer: account.issuer,
    role: account.role,
    agencyId: account.agencyId,
    name: account.name,
    email: account.email,
    status: account.status,
    firstSeenAt: account.firstSeenAt.toISOString(),
    lastSeenAt: account.lastSeenAt.toISOString(),
  };
}

/** A user as the admin lists them: the account, and what they did here. */
export class UserSummaryResponse extends AccountResponse {
  @ApiProperty({ type: 'integer', description: 'Bookings they made as a renter' }) bookingCount: number;
  @ApiProperty({ type: 'integer', description: 'Reviews they wrote (removed ones too)' }) reviewCount: number;
}
