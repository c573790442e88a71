import { Body, Controller, Get, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Access, CurrentActor, Public } from '../auth/access.decorator.js';
import type { Actor } from '../access/actor.js';
import { ApiUuidParam, UuidPipe } from '../common/id.pipes.js';
import { AgenciesService } from './agencies.service.js';
import { AgencyResponse } from './agency.response.js';
import { AgencyProfileDto, AgencyStatusDto, CreateAgencyDto, ListAgenciesQuery } from './dto/agency.dto.js';
import type { Page } from '../common/pagination.query.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { Audited } from '../audit/audited.decorator.js';

@ApiTags('agencies')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@ApiBadRequestResponse({ description: 'Invalid body or id' })
@Controller('agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Post()
  @Access({ roles: ['admin'] })
  @Audited('agency.create')
  @ApiOperation({ summary: 'Register an agency (admin), active unless `status: pending`' })
  @ApiCreatedResponse({ type: AgencyResponse })
  @ApiForbiddenResponse({ description: 'Not the admin' })
  create(@Body() dto: CreateAgencyDto): Promise<AgencyResponse> {
    return this.agencies.create(dto);
  }

  @Get()
  @Public()
  @UseInterceptors(TotalCountInterceptor)
  @ApiOperation({
    summary: 'List agencies: active ones (public profile) for everyone, every one whole for the admin team; q, status',
  })
  @ApiOkResponse({ type: [AgencyResponse], description: 'Plain array, oldest first; the total is in X-Total-Count' })
  list(@CurrentActor() actor: Actor, @Query() query: ListAgenciesQuery): Promise<Page<AgencyResponse>> {
    return this.agencies.list(query, actor);
  }

  @Get(':id')
  @Public()
  @ApiOperation({
    summary: "An agency's profile: public fields of an active one for anyone; every field for the admin and the agency",
  })
  @ApiUuidParam()
  @ApiOkResponse({ type: AgencyResponse })
  @ApiNotFoundResponse({ description: 'Unknown, or pending or suspended (unless the admin or that agency asks)' })
  findOne(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<AgencyResponse> {
    return this.agencies.findOne(actor, id);
  }

  @Patch(':id')
  @Access({ roles: ['admin', 'agency'], purpose: 'application' })
  @Audited('agency.update')
  @ApiOperation({ summary: 'Edit the profile (the agency itself, or the admin)' })
  @ApiUuidParam()
  @ApiOkResponse({ type: AgencyResponse })
  @ApiForbiddenResponse({ description: 'Another agency' })
  @ApiNotFoundResponse()
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: AgencyProfileDto,
  ): Promise<AgencyResponse> {
    return this.agencies.update(actor, id, dto);
  }

  @Patch(':id/status')
  @Access({ roles: ['admin'] })
  @Audited('agency.status')
  @ApiOperation({ summary: 'Approve, suspend (with a reason) or reinstate an agency (admin); the agency is notified' })
  @ApiUuidParam()
  @ApiOkResponse({ type: AgencyResponse })
  @ApiForbiddenResponse({ description: 'Not the admin' })
  @ApiConflictResponse({ description: 'The built-in agency of open mode stays active' })
  @ApiNotFoundResponse()
  setStatus(@Param('id', UuidPipe) id: string, @Body() dto: AgencyStatusDto): Promise<AgencyResponse> {
    return this.agencies.setStatus(id, dto);
  }
}
