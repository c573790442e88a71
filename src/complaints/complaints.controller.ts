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
} from '@nestjs/swagger';
import { Access, CurrentActor } from '../auth/access.decorator.js';
import type { Actor } from '../access/actor.js';
import { ApiUuidParam, UuidPipe } from '../common/id.pipes.js';
import { PaginationQuery } from '../common/pagination.query.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { ComplaintMessageResponse, ComplaintResponse } from './complaint.response.js';
import { ComplaintsService } from './complaints.service.js';
import {
  ComplaintMessageDto,
  CreateComplaintDto,
  ListComplaintsQuery,
  TriageComplaintDto,
} from './dto/complaints.dto.js';
import { Audited } from '../audit/audited.decorator.js';

@ApiBadRequestResponse({ description: 'Invalid body, query or id' })
@ApiTags('complaints')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Open mode, or a role this operation does not let in' })
@Controller('complaints')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  @Post()
  @Access({ roles: ['renter', 'agency'] })
  @ApiOperation({ summary: "File a complaint about a booking you are a party to (its renter or its car's agency)" })
  @ApiCreatedResponse({ type: ComplaintResponse })
  @ApiNotFoundResponse({ description: 'No such booking of yours' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateComplaintDto): Promise<ComplaintResponse> {
    return this.complaints.create(dto, actor);
  }

  @Get()
  @UseInterceptors(TotalCountInterceptor)
  @ApiOperation({ summary: 'Complaints, newest first: a party its own, the admin team all' })
  @ApiOkResponse({ type: [ComplaintResponse], description: 'Plain array; the total is in X-Total-Count' })
  list(@CurrentActor() actor: Actor, @Query() query: ListComplaintsQuery) {
    return this.complaints.list(query, actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One complaint (a party or the admin team)' })
  @ApiUuidParam()
  @ApiOkResponse({ type: ComplaintResponse })
  @ApiNotFoundResponse()
  findOne(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<ComplaintResponse> {
    return this.complaints.findOne(id, actor);
  }

  @Patch(':id')
  @Access({ roles: ['admin'] })
  @Audited('complaint.triage')
  @ApiOperation({ summary: 'Triage (admin): status open → in_review → resolved | rejected, priority, assignee' })
  @ApiUuidParam()
  @ApiOkResponse({ type: ComplaintResponse })
  @ApiConflictResponse({ description: 'A status change the workflow does not allow' })
  @ApiBadRequestResponse({ description: 'assignee is not an account of the admin team' })
  @ApiNotFoundResponse()
  triage(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: TriageComplaintDto,
  ): Promise<ComplaintResponse> {
    return this.complaints.triage(id, dto, actor);
  }

  @Get(':id/messages')
  @UseInterceptors(TotalCountInterceptor)
  @ApiOperation({ summary: "The complaint's thread, oldest first (internal notes for the admin team only)" })
  @ApiUuidParam()
  @ApiOkResponse({ type: [ComplaintMessageResponse], description: 'Plain array; the total is in X-Total-Count' })
  @ApiNotFoundResponse()
  messages(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Query() page: PaginationQuery) {
    return this.complaints.messages(id, page, actor);
  }

  @Post(':id/messages')
  @Audited('complaint.message')
  @ApiOperation({ summary: 'Write in the thread; `internal: true` is a note for the admin team (admins only)' })
  @ApiUuidParam()
  @ApiCreatedResponse({ type: ComplaintMessageResponse })
  @ApiConflictResponse({ description: 'The complaint is resolved or rejected: its thread is closed' })
  @ApiNotFoundResponse()
  post(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: ComplaintMessageDto,
  ): Promise<ComplaintMessageResponse> {
    return this.complaints.post(id, dto, actor);
  }
}
