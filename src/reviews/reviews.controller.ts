import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOperation,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
} from '@nestjs/swagger';
import { Access, CurrentActor, Public } from '../auth/access.decorator.js';
import type { Actor } from '../access/actor.js';
import { ApiUuidParam, UuidPipe } from '../common/id.pipes.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { CreateReviewDto } from './dto/create-review.dto.js';
import { ListReviewsQuery } from './dto/list-reviews.query.js';
import { RemoveReviewQuery, ReplyToReviewDto, UpdateReviewDto } from './dto/update-review.dto.js';
import { ReviewResponse } from './review.response.js';
import { ReviewsService } from './reviews.service.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { Audited } from '../audit/audited.decorator.js';

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
  @Audited('review.create')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Review a car (1 to 5 stars); a renter only a Completed booking of its own, once' })
  @Idempotent()
  @ApiCreatedResponse({ type: ReviewResponse })
  @ApiNotFoundResponse({ description: 'Unknown or deleted car' })
  @ApiConflictResponse({ description: 'That booking has been reviewed already' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateReviewDto): Promise<ReviewResponse> {
    return this.reviews.create(dto, actor);
  }

  @Patch(':id')
  @Access({ roles: ['renter'] })
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Edit your own review (rating, comment) within REVIEW_EDIT_DAYS (30) days' })
  @ApiUuidParam()
  @ApiOkResponse({ type: ReviewResponse })
  @ApiForbiddenResponse({ description: 'Not your review, or written more than REVIEW_EDIT_DAYS days ago' })
  @ApiNotFoundResponse()
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateReviewDto,
  ): Promise<ReviewResponse> {
    return this.reviews.update(id, dto, actor);
  }

  @Delete(':id')
  @Access({ roles: ['renter', 'admin'] })
  @Audited('review.remove', { anyone: true })
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Remove a review: your own within REVIEW_EDIT_DAYS days, or any as the admin (with a reason); kept, no longer shown',
  })
  @ApiUuidParam()
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'Not your review, or written more than REVIEW_EDIT_DAYS days ago' })
  @ApiNotFoundResponse()
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Query() query: RemoveReviewQuery,
  ): Promise<void> {
    await this.reviews.remove(id, query.reason, actor);
  }

  @Post(':id/reply')
  @Access({ roles: ['agency'] })
  @ApiBearerAuth()
  @HttpCode(200)
  @ApiOperation({ summary: "Reply once to a review of one of your cars (the car's agency); the renter is notified" })
  @ApiUuidParam()
  @ApiOkResponse({ type: ReviewResponse })
  @ApiForbiddenResponse({ description: "Not the car's agency" })
  @ApiConflictResponse({ description: 'The review has a reply already' })
  @ApiNotFoundResponse()
  reply(
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: ReplyToReviewDto,
  ): Promise<ReviewResponse> {
    return this.reviews.reply(id, dto.comment, actor);
  }
}
