import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { EmailChoicesDto, EmailChoicesField } from '../../notifications/email-choices.js';
import { ROLES, type Role } from '../../access/actor.js';
import { PaginationQuery } from '../../common/pagination.query.js';
import { Trim } from '../../common/transforms.js';
import { ACCOUNT_STATUSES, type AccountStatus } from '../account.entity.js';

export class ListUsersQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ enum: ACCOUNT_STATUSES })
  @IsOptional()
  @IsIn(ACCOUNT_STATUSES, { message: `status must be one of ${ACCOUNT_STATUSES.join(', ')}` })
  status?: AccountStatus;

  @ApiPropertyOptional({ maxLength: 100, description: 'Part of the sub, name or e-mail (case-insensitive)' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class AccountStatusDto {
  @ApiProperty({ enum: ACCOUNT_STATUSES })
  @IsIn(ACCOUNT_STATUSES, { message: `status must be one of ${ACCOUNT_STATUSES.join(', ')}` })
  status: AccountStatus;

  @ApiPropertyOptional({ maxLength: 500, description: 'Why (required to suspend)' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/** What a user keeps in their profile; each field optional, '' clears it. */
export class UpdateProfileDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  firstName?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional({ example: '+212 600 000 000', maxLength: 30 })
  @IsOptional()
  @Trim()
  @IsString()
  @Matches(/^(\+?[0-9][0-9 ().-]{3,28})?$/, { message: 'phone must be a phone number (digits, spaces, + ( ) . -)' })
  phone?: string;

  @ApiPropertyOptional({ example: 'fr', description: 'A BCP 47 language tag: en, fr, fr-MA…' })
  @IsOptional()
  @Trim()
  @IsString()
  @Matches(/^([a-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$/, { message: 'locale must be a language tag such as en or fr-MA' })
  locale?: string;

  @ApiPropertyOptional({ format: 'uri', maxLength: 2000 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  @ValidateIf((dto: UpdateProfileDto) => dto.avatarUrl !== '')
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'avatarUrl must be an http(s) URL' })
  avatarUrl?: string;

  @EmailChoicesField()
  emailNotifications?: EmailChoicesDto;
}
