import { Body, Controller, Get, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOperation,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiBearerAuth,
  ApiConflictResponse,
} from '@nestjs/swagger';
import { Access, CurrentActor, Public } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { ApiUuidParam, UuidPipe } from '../common/id.pipes.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { CreateReviewDto } from './dto/create-review.dto.js';
import { ListReviewsQuery } from './dto/list-reviews.query.js';
import { ReviewResponse } from './review.response.js';
import { ReviewsService } from './reviews.service.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';

@ApiTags('reviews')
@ApiBadRequestResponse({ description: 'Invalid body, query or id' })
@Controller('reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: "List reviews, newest first (an agency: its cars' only)" })
  @UseInterceptors(TotalCountInterceptor)
  @ApiOkResponse({ type: [ReviewResponse], description: 'Plain array, newest first; the total is in X-Total-Count' })
  list(@CurrentActor() actor: Actor, @Query() query: ListReviewsQuery) {
    return this.reviews.list(query, actor);
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'Get a review' })
  @ApiUuidParam()
  @ApiOkResponse({ type: ReviewResponse })
  @ApiNotFoundResponse()
  findOne(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<ReviewResponse> {
    return this.reviews.findOne(id, actor);
  }

  @Post()
  @Access({ roles: ['renter', 'admin'] })
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Review a car (1 to 5 stars); a renter only a Completed booking of its own, once' })
  @Idempotent()
  @ApiCreatedResponse({ type: ReviewResponse })
  @ApiNotFoundResponse({ description: 'Unknown or deleted car' })
  @ApiConflictResponse({ description: 'That booking has been reviewed already' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateReviewDto): Promise<ReviewResponse> {
    return this.reviews.create(dto, actor);
  }
}
