import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { PaginationQuery } from '../../common/pagination.query.js';

/** The entities the trail records (the audit triggers' entity types). */
export const AUDITED_ENTITIES = [
  'agency',
  'user',
  'complaint',
  'review',
  'booking',
  'car',
  'conversation',
  'document',
] as const;

export class AuditQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: "The actor's sub" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ enum: AUDITED_ENTITIES })
  @IsOptional()
  @IsIn(AUDITED_ENTITIES, { message: `entity must be one of ${AUDITED_ENTITIES.join(', ')}` })
  entity?: (typeof AUDITED_ENTITIES)[number];

  @ApiPropertyOptional({ description: 'One entity (with `entity`)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  entityId?: string;

  @ApiPropertyOptional({ description: 'One action, e.g. `car.update`' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
