import { Body, Controller, Delete, Get, Header, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidPipe } from '../common/id.pipes.js';
import { CarResponse } from './car.response.js';
import { CarsService } from './cars.service.js';
import { CreateCarDto } from './dto/create-car.dto.js';
import { ListCarsQuery } from './dto/list-cars.query.js';
import { UpdateCarDto } from './dto/update-car.dto.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';

@ApiTags('cars')
@ApiBadRequestResponse({ description: 'Invalid body, query or id' })
@Controller('cars')
export class CarsController {
  constructor(private readonly cars: CarsService) {}

  @Get()
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOkResponse({
    type: [CarResponse],
    description: 'Plain array; the total is in X-Total-Count. Supports ETag / If-None-Match (304).',
  })
  async list(@Query() query: ListCarsQuery, @Res({ passthrough: true }) response: Response): Promise<string> {
    const list = await this.cars.listSerialized(query);
    response.setHeader('X-Total-Count', String(list.total));
    response.setHeader('ETag', list.etag); // express answers 304 to a matching If-None-Match
    return list.body;
  }

  @Get(':id')
  @ApiOkResponse({ type: CarResponse })
  @ApiNotFoundResponse()
  findOne(@Param('id', UuidPipe) id: string) {
    return this.cars.findOne(id);
  }

  @Post()
  @Idempotent()
  create(@Body() dto: CreateCarDto): Promise<CarResponse> {
    return this.cars.create(dto);
  }

  @Patch(':id')
  @ApiNotFoundResponse()
  update(@Param('id', UuidPipe) id: string, @Body() dto: UpdateCarDto): Promise<CarResponse> {
    return this.cars.update(id, dto);
  }

  @Delete(':id')
  @ApiOkResponse({ schema: { example: { success: true } } })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The car has pending or confirmed bookings' })
  async remove(@Param('id', UuidPipe) id: string) {
    await this.cars.remove(id);
    return { success: true };
  }
}
