import { Controller, Delete, Get, Param, Put, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Access, CurrentActor } from '../auth/access.decorator.js';
import { CarResponse } from '../cars/car.response.js';
import { ApiUuidParam, UuidPipe } from '../common/id.pipes.js';
import { PaginationQuery, type Page } from '../common/pagination.query.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { FavoritesService } from './favorites.service.js';

const SUCCESS = { success: true };
const SUCCESS_SCHEMA = { schema: { type: 'object', properties: { success: { type: 'boolean', example: true } } } };

/** A renter's favourite cars (their own list: not in the audit trail). */
@ApiTags('users')
@ApiBearerAuth()
@Access({ roles: ['renter'] })
@Controller('users/me/favorites')
export class FavoritesController {
  constructor(private readonly favorites: FavoritesService) {}

  @Get()
  @UseInterceptors(TotalCountInterceptor)
  @ApiOperation({ summary: 'Your favourite cars, newest car first, in the catalogue’s shape' })
  @ApiOkResponse({ type: [CarResponse], description: 'Plain array; the total is in X-Total-Count' })
  @ApiBadRequestResponse({ description: 'Invalid query' })
  list(@CurrentActor() actor: Actor, @Query() page: PaginationQuery): Promise<Page<CarResponse>> {
    return this.favorites.list(page, actor);
  }

  @Put(':carId')
  @ApiOperation({ summary: 'Add a car to your favourites (again: no change)' })
  @ApiUuidParam('carId')
  @ApiOkResponse(SUCCESS_SCHEMA)
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiNotFoundResponse({ description: 'No such car, or one of an agency that is not active' })
  async add(@CurrentActor() actor: Actor, @Param('carId', UuidPipe) carId: string) {
    await this.favorites.add(carId, actor);
    return SUCCESS;
  }

  @Delete(':carId')
  @ApiOperation({ summary: 'Remove a car from your favourites (absent: no change)' })
  @ApiUuidParam('carId')
  @ApiOkResponse(SUCCESS_SCHEMA)
  @ApiBadRequestResponse({ description: 'Malformed id' })
  async remove(@CurrentActor() actor: Actor, @Param('carId', UuidPipe) carId: string) {
    await this.favorites.remove(carId, actor);
    return SUCCESS;
  }
}
