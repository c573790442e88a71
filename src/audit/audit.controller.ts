import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { Between, LessThan, MoreThanOrEqual, Repository, type FindOptionsWhere } from 'typeorm';
import { Access } from '../auth/access.decorator.js';
import { PaginationQuery, type Page } from '../common/pagination.query.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { AuditEntry } from './audit-entry.entity.js';
import { AuditEntryResponse, toAuditEntryResponse } from './audit.response.js';

const ENTITY_TYPES = ['agency', 'user', 'complaint', 'review', 'booking'] as const;

export class AuditQuery extends PaginationQuery {
  @ApiPropertyOptional({ description: "The actor's sub" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ enum: ENTITY_TYPES })
  @IsOptional()
  @IsIn(ENTITY_TYPES, { message: `entity must be one of ${ENTITY_TYPES.join(', ')}` })
  entity?: (typeof ENTITY_TYPES)[number];

  @ApiPropertyOptional({ description: 'One entity (with `entity`)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  entityId?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

@ApiBadRequestResponse({ description: 'Invalid body, query or id' })
@ApiTags('audit')
@ApiBearerAuth()
@Access({ roles: ['admin'] })
@Controller('audit')
export class AuditController {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  @Get()
  @UseInterceptors(TotalCountInterceptor)
  @ApiOperation({ summary: 'The audit trail, newest first (admin): admin actions and booking status changes' })
  @ApiOkResponse({ type: [AuditEntryResponse], description: 'Plain array; the total is in X-Total-Count' })
  async list(@Query() query: AuditQuery): Promise<Page<AuditEntryResponse>> {
    const where: FindOptionsWhere<AuditEntry> = {};
    if (query.actor) where.actorSub = query.actor;
    if (query.entity) where.entityType = query.entity;
    if (query.entityId) where.entityId = query.entityId;
    if (query.from && query.to) where.at = Between(new Date(query.from), new Date(query.to));
    else if (query.from) where.at = MoreThanOrEqual(new Date(query.from));
    else if (query.to) where.at = LessThan(new Date(query.to));
    const [rows, total] = await this.entries.findAndCount({
      where,
      order: { at: 'DESC', id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toAuditEntryResponse), total };
  }
}
