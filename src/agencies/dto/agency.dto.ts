import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { EmailChoicesDto, EmailChoicesField } from '../../notifications/email-choices.js';
import { PaginationQuery } from '../../common/pagination.query.js';
import { IsOptionalNotNull, Trim } from '../../common/transforms.js';
import { AGENCY_STATUSES, type AgencyStatus } from '../agency.entity.js';

/** The profile an agency keeps (itself or the admin); null clears a field. */
export class AgencyProfileDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Atlas Car Rental' })
  @IsOptionalNotNull()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 200 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  legalName?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  registrationNumber?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, format: 'email', maxLength: 254 })
  @IsOptional()
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 40, example: '+212 5 22 00 00 00' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(40)
  phone?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 300 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(300)
  address?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 100, example: 'Casablanca' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  city?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, format: 'uri', maxLength: 500 })
  @IsOptional()
  @Trim()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'website must be an http(s) URL' })
  @MaxLength(500)
  website?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  contactName?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    example: 'fr',
    description: 'The language of its e-mails (a BCP 47 tag); null: the platform default',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'locale must be a language tag such as en or fr-MA' })
  locale?: string | null;

  @EmailChoicesField()
  emailNotifications?: EmailChoicesDto;
}

export class ListAgenciesQuery extends PaginationQuery {
  @ApiPropertyOptional({
    maxLength: 100,
    description: 'Words in the name, legal name or city (case- and accent-insensitive)',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({
    enum: AGENCY_STATUSES,
    description: 'The admin team: any; everyone else sees active agencies only',
  })
  @IsOptional()
  @IsIn(AGENCY_STATUSES, { message: `status must be one of ${AGENCY_STATUSES.join(', ')}` })
  status?: AgencyStatus;
}

export class CreateAgencyDto extends OmitType(AgencyProfileDto, ['name'] as const) {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Atlas Car Rental' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ enum: ['pending', 'active'], default: 'active' })
  @IsOptional()
  @IsIn(['pending', 'active'], { message: 'status must be pending or active' })
  status?: Extract<AgencyStatus, 'pending' | 'active'>;
}

export class AgencyStatusDto {
  @ApiProperty({ enum: AGENCY_STATUSES })
  @IsIn(AGENCY_STATUSES, { message: `status must be one of ${AGENCY_STATUSES.join(', ')}` })
  status: AgencyStatus;

  @ApiPropertyOptional({ maxLength: 500, description: 'Why (required to suspend or reject)' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
