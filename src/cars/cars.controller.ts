import { Body, Controller, Delete, Get, Header, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiBadRequestResponse,
  ApiOperation,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiBearerAuth,
  ApiTags,
} from '@nestjs/swagger';
import { Access, CurrentActor, Public } from '../auth/access.decorator.js';
import type { Actor } from '../access/actor.js';
import { ApiUuidParam, UuidPipe } from '../common/id.pipes.js';
import { CarResponse } from './car.response.js';
import { CarsService } from './cars.service.js';
import { AvailabilityQuery, AvailabilityResponse } from './dto/availability.query.js';
import { CreateCarDto } from './dto/create-car.dto.js';
import { ListCarsQuery } from './dto/list-cars.query.js';
import { UpdateCarDto } from './dto/update-car.dto.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { Audited } from '../audit/audited.decorator.js';

/** Cars are created, changed and deleted by their agency, or by the admin. */
const FLEET_MANAGERS = { roles: ['agency', 'admin'] } as const;

@ApiTags('cars')
@ApiBadRequestResponse({ description: 'Invalid body, query or id' })
@Controller('cars')
export class CarsController {
  constructor(private readonly cars: CarsService) {}

  @Get()
  @Public()
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOkResponse({
    type: [CarResponse],
    description: 'Plain array; the total is in X-Total-Count. Supports ETag / If-None-Match (304).',
  })
  @ApiOperation({ summary: 'List cars (the public catalogue; an agency sees its own fleet), with filters' })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListCarsQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const list = await this.cars.listSerialized(query, actor);
    response.setHeader('X-Total-Count', String(list.total));
    response.setHeader('ETag', list.etag); // express answers 304 to a matching If-None-Match
    return list.body;
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'Get a car' })
  @ApiUuidParam()
  @ApiOkResponse({ type: CarResponse })
  @ApiNotFoundResponse()
  findOne(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    return this.cars.findOne(id, actor);
  }

  @Get(':id/availability')
  @Public()
  @ApiOperation({
    summary:
      "A car's calendar: the periods it is held (Pending and Confirmed bookings) within [from, to), no renter data",
  })
  @ApiUuidParam()
  @ApiOkResponse({ type: AvailabilityResponse })
  @ApiNotFoundResponse()
  availability(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Query() query: AvailabilityQuery,
  ): Promise<AvailabilityResponse> {
    return this.cars.availability(id, query, actor);
  }

  @Post()
  @Access(FLEET_MANAGERS)
  @Audited('car.create')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a car (an agency: its own; the admin: for the agency it names)' })
  @Idempotent()
  @ApiCreatedResponse({ type: CarResponse })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateCarDto): Promise<CarResponse> {
    return this.cars.create(dto, actor);
  }

  @Patch(':id')
  @Access(FLEET_MANAGERS)
  @Audited('car.update', { anyone: true })
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change some fields of a car' })
  @ApiUuidParam()
  @ApiOkResponse({ type: CarResponse })
  @ApiNotFoundResponse()
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateCarDto,
  ): Promise<CarResponse> {
    return this.cars.update(id, dto, actor);
  }

  @Delete(':id')
  @Access(FLEET_MANAGERS)
  @Audited('car.remove')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete a car (soft: its bookings and reviews keep it)' })
  @ApiUuidParam()
  @ApiOkResponse({ schema: { type: 'object', properties: { success: { type: 'boolean', example: true } } } })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The car has pending or confirmed bookings' })
  async remove(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string) {
    await this.cars.remove(id, actor);
    return { success: true };
  }
}
