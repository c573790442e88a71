import { Body, Controller, Get, Param, Patch, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiBearerAuth,
} from '@nestjs/swagger';
import { Access, CurrentActor } from '../auth/access.decorator.js';
import { PaginationQuery } from '../common/pagination.query.js';
import { BookingMessageResponse } from './booking-message.response.js';
import { BookingThreads } from './booking-threads.service.js';
import { CreateBookingMessageDto } from './dto/booking-message.dto.js';
import type { Actor } from '../access/actor.js';
import { BookingChangeResponse } from './booking-change.response.js';
import { ApiUuidParam, UuidPipe } from '../common/id.pipes.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { BookingResponse } from './booking.response.js';
import { BookingsService } from './bookings.service.js';
import { CreateBookingDto } from './dto/create-booking.dto.js';
import { ListBookingsQuery } from './dto/list-bookings.query.js';
import { UpdateBookingDto } from './dto/update-booking.dto.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { Audited } from '../audit/audited.decorator.js';

@ApiTags('bookings')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: 'Invalid body, query or id' })
@Controller('bookings')
export class BookingsController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly threads: BookingThreads,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List bookings, newest first' })
  @UseInterceptors(TotalCountInterceptor)
  @ApiOkResponse({ type: [BookingResponse], description: 'Plain array, newest first; the total is in X-Total-Count' })
  list(@CurrentActor() actor: Actor, @Query() query: ListBookingsQuery) {
    return this.bookings.list(query, actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a booking' })
  @ApiUuidParam()
  @ApiOkResponse({ type: BookingResponse })
  @ApiNotFoundResponse()
  findOne(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<BookingResponse> {
    return this.bookings.findOne(id, actor);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every change of a booking (creation first) with who made it and when' })
  @ApiUuidParam()
  @ApiOkResponse({ type: [BookingChangeResponse] })
  @ApiNotFoundResponse()
  history(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<BookingChangeResponse[]> {
    return this.bookings.history(id, actor);
  }

  @Get(':id/messages')
  @ApiOperation({ summary: "The booking's thread between its renter and the agency, oldest first (the admin reads)" })
  @ApiUuidParam()
  @UseInterceptors(TotalCountInterceptor)
  @ApiOkResponse({ type: [BookingMessageResponse], description: 'Plain array; the total is in X-Total-Count' })
  @ApiNotFoundResponse()
  messages(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Query() page: PaginationQuery) {
    return this.threads.list(id, page, actor);
  }

  @Post(':id/messages')
  @Access({ roles: ['renter', 'agency'] })
  @ApiOperation({ summary: "Write in the booking's thread (its renter or its agency); the other side is notified" })
  @ApiUuidParam()
  @ApiCreatedResponse({ type: BookingMessageResponse })
  @ApiNotFoundResponse()
  postMessage(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: CreateBookingMessageDto,
  ): Promise<BookingMessageResponse> {
    return this.threads.post(id, dto.content, actor);
  }

  @Post()
  @Audited('booking.create')
  @Idempotent()
  @ApiOperation({
    summary: 'Create a Pending booking; totalPrice is computed by the server, a client value is ignored',
  })
  @ApiCreatedResponse({ type: BookingResponse })
  @ApiBadRequestResponse({
    description:
      'Invalid body; endDate not after startDate; a start in the past, or more than MAX_BOOKING_ADVANCE_DAYS ' +
      '(365) days ahead; longer than MAX_BOOKING_DAYS',
  })
  @ApiNotFoundResponse({ description: 'Unknown or deleted car' })
  @ApiConflictResponse({
    description:
      'The car is already booked for an overlapping period, or is not available; or the renter already holds ' +
      'MAX_OPEN_BOOKINGS_PER_RENTER (5) open bookings (Pending or Confirmed, not yet ended)',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateBookingDto): Promise<BookingResponse> {
    return this.bookings.create(dto, actor);
  }

  @Patch(':id')
  @Audited('booking.update', { anyone: true })
  @ApiOperation({
    summary:
      'Change the status and/or the paid flag of a booking (a renter: cancel their own before it starts, with a reason)',
  })
  @ApiUuidParam()
  @ApiOkResponse({ type: BookingResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Illegal status change, or Completed before the booking started' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateBookingDto,
  ): Promise<BookingResponse> {
    return this.bookings.update(id, dto, actor);
  }

  @Put(':id')
  @Audited('booking.update', { anyone: true })
  @ApiOperation({ summary: 'Same as PATCH (the dashboard uses PUT)' })
  @ApiUuidParam()
  @ApiOkResponse({ type: BookingResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Illegal status change, or Completed before the booking started' })
  replace(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateBookingDto,
  ): Promise<BookingResponse> {
    return this.bookings.update(id, dto, actor);
  }
}
