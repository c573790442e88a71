import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination.query.js';
import { Trim } from '../../common/transforms.js';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_PRIORITIES,
  COMPLAINT_STATUSES,
  type ComplaintCategory,
  type ComplaintPriority,
  type ComplaintStatus,
} from '../complaint.entity.js';

const oneOf = (name: string, values: readonly string[]) => ({ message: `${name} must be one of ${values.join(', ')}` });

export class CreateComplaintDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The booking complained about; without it, a support request' })
  @IsOptional()
  @IsUUID('all', { message: 'bookingId must be a UUID' })
  bookingId?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'What it is about: required for a support request (no bookingId)',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  subject?: string;

  @ApiProperty({ enum: COMPLAINT_CATEGORIES })
  @IsIn(COMPLAINT_CATEGORIES, oneOf('category', COMPLAINT_CATEGORIES))
  category: ComplaintCategory;

  @ApiProperty({ minLength: 1, maxLength: 5000 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  description: string;
}

export class TriageComplaintDto {
  @ApiPropertyOptional({ enum: COMPLAINT_STATUSES, description: 'open → in_review → resolved | rejected' })
  @IsOptional()
  @IsIn(COMPLAINT_STATUSES, oneOf('status', COMPLAINT_STATUSES))
  status?: ComplaintStatus;

  @ApiPropertyOptional({ enum: COMPLAINT_PRIORITIES })
  @IsOptional()
  @IsIn(COMPLAINT_PRIORITIES, oneOf('priority', COMPLAINT_PRIORITIES))
  priority?: ComplaintPriority;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    maxLength: 200,
    description: "An admin's sub; null unassigns",
  })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  assignee?: string | null;
}

export class ListComplaintsQuery extends PaginationQuery {
  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Words in the subject or the description (accents and case aside)',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: COMPLAINT_CATEGORIES })
  @IsOptional()
  @IsIn(COMPLAINT_CATEGORIES, oneOf('category', COMPLAINT_CATEGORIES))
  category?: ComplaintCategory;

  @ApiPropertyOptional({ enum: COMPLAINT_STATUSES })
  @IsOptional()
  @IsIn(COMPLAINT_STATUSES, oneOf('status', COMPLAINT_STATUSES))
  status?: ComplaintStatus;

  @ApiPropertyOptional({ enum: COMPLAINT_PRIORITIES })
  @IsOptional()
  @IsIn(COMPLAINT_PRIORITIES, oneOf('priority', COMPLAINT_PRIORITIES))
  priority?: ComplaintPriority;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  assignee?: string;
}

export class ComplaintMessageDto {
  @ApiProperty({ minLength: 1, maxLength: 5000 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  content: string;

  @ApiPropertyOptional({ default: false, description: 'An internal note, seen by the admin team only (admins only)' })
  @IsOptional()
  @IsBoolean()
  internal?: boolean;
}
