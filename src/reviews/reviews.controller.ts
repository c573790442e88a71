import { Body, Controller, Get, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOperation,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'List reviews, newest first' })
  @UseInterceptors(TotalCountInterceptor)
  @ApiOkResponse({ type: [ReviewResponse], description: 'Plain array, newest first; the total is in X-Total-Count' })
  list(@Query() query: ListReviewsQuery) {
    return this.reviews.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a review' })
  @ApiUuidParam()
  @ApiOkResponse({ type: ReviewResponse })
  @ApiNotFoundResponse()
  findOne(@Param('id', UuidPipe) id: string): Promise<ReviewResponse> {
    return this.reviews.findOne(id);
  }

  @Post()
  @ApiOperation({ summary: 'Review a car (1 to 5 stars)' })
  @Idempotent()
  @ApiCreatedResponse({ type: ReviewResponse })
  @ApiNotFoundResponse({ description: 'Unknown or deleted car' })
  create(@Body() dto: CreateReviewDto): Promise<ReviewResponse> {
    return this.reviews.create(dto);
  }
}
