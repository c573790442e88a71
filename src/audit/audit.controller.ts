import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Page } from '../common/pagination.query.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { AuditRepository } from './audit.repository.js';
import { AuditEntryResponse, toAuditEntryResponse } from './audit.response.js';
import { AuditQuery } from './dto/audit.query.js';

@ApiBadRequestResponse({ description: 'Invalid body, query or id' })
@ApiTags('audit')
@ApiBearerAuth()
@Access({ roles: ['admin'] })
@Controller('audit')
export class AuditController {
  constructor(private readonly trail: AuditRepository) {}

  @Get()
  @UseInterceptors(TotalCountInterceptor)
  @ApiOperation({
    summary: 'The audit trail, newest first (admin): every write of the admin team, every change of status or money',
  })
  @ApiOkResponse({ type: [AuditEntryResponse], description: 'Plain array; the total is in X-Total-Count' })
  async list(@Query() query: AuditQuery): Promise<Page<AuditEntryResponse>> {
    const { items, total } = await this.trail.list(query);
    return { items: items.map(toAuditEntryResponse), total };
  }
}
