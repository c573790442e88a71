import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Access, CurrentActor } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { ApiUuidParam, UuidPipe } from '../common/id.pipes.js';
import { Trim } from '../common/transforms.js';
import { AgenciesService } from './agencies.service.js';
import { AgencyResponse } from './agency.response.js';

export class CreateAgencyDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Atlas Car Rental' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

@ApiTags('agencies')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@ApiForbiddenResponse({ description: 'Not the admin (or, for one agency, not that agency)' })
@Controller('agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Post()
  @Access({ roles: ['admin'] })
  @ApiOperation({ summary: 'Register an agency (admin)' })
  @ApiCreatedResponse({ type: AgencyResponse })
  @ApiBadRequestResponse({ description: 'Invalid body' })
  create(@Body() dto: CreateAgencyDto): Promise<AgencyResponse> {
    return this.agencies.create(dto.name);
  }

  @Get()
  @Access({ roles: ['admin'] })
  @ApiOperation({ summary: 'Every agency (admin)' })
  @ApiOkResponse({ type: [AgencyResponse] })
  list(): Promise<AgencyResponse[]> {
    return this.agencies.list();
  }

  @Get(':id')
  @Access({ roles: ['admin', 'agency'] })
  @ApiOperation({ summary: 'One agency (admin, or that agency)' })
  @ApiUuidParam()
  @ApiOkResponse({ type: AgencyResponse })
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiNotFoundResponse()
  findOne(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<AgencyResponse> {
    return this.agencies.findOne(actor, id);
  }
}
