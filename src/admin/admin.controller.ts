import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { OverviewQuery, SeriesQuery, SeriesResponse } from './analytics.dto.js';
import { AnalyticsService } from './analytics.service.js';
import { OverviewResponse } from './overview.response.js';

@ApiBadRequestResponse({ description: 'Invalid query' })
@ApiTags('admin')
@ApiBearerAuth()
@Access({ roles: ['admin'] })
@Controller('admin')
export class AdminController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('overview')
  @ApiOperation({ summary: 'The platform in numbers over [from, to) (admin), from the daily rollups in one statement' })
  @ApiOkResponse({ type: OverviewResponse })
  overview(@Query() query: OverviewQuery): Promise<OverviewResponse> {
    return this.analytics.overview(query);
  }

  @Get('overview/series')
  @ApiOperation({
    summary: 'Bookings, revenue, new accounts and occupancy per day, week or month (admin), by car type or agency',
  })
  @ApiOkResponse({ type: SeriesResponse })
  series(@Query() query: SeriesQuery): Promise<SeriesResponse> {
    return this.analytics.series(query);
  }
}
