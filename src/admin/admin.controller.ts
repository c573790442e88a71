import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { Access } from '../auth/access.decorator.js';
import { OverviewRepository } from './overview.repository.js';
import { OverviewResponse, toOverviewResponse } from './overview.response.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_SPAN_DAYS = 3660;

export class OverviewQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Start of the period (default: 30 days before `to`)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End of the period, exclusive (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

@ApiBadRequestResponse({ description: 'Invalid body, query or id' })
@ApiTags('admin')
@ApiBearerAuth()
@Access({ roles: ['admin'] })
@Controller('admin')
export class AdminController {
  constructor(private readonly overviews: OverviewRepository) {}

  @Get('overview')
  @ApiOperation({ summary: 'The platform in numbers over [from, to) (admin), computed in one SQL statement' })
  @ApiOkResponse({ type: OverviewResponse })
  async overview(@Query() query: OverviewQuery): Promise<OverviewResponse> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (to <= from) throw new BadRequestException('to must be after from');
    if (to.getTime() - from.getTime() > MAX_SPAN_DAYS * DAY_MS) {
      throw new BadRequestException(`The period may span at most ${MAX_SPAN_DAYS} days`);
    }
    return toOverviewResponse(await this.overviews.overview(from, to), from, to);
  }
}
