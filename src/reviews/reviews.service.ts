import { Injectable, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { CarsService } from '../cars/cars.service.js';
import type { Page } from '../common/pagination.query.js';
import type { CreateReviewDto } from './dto/create-review.dto.js';
import type { ListReviewsQuery } from './dto/list-reviews.query.js';
import { ReviewCreatedEvent } from './review-created.event.js';
import { Review } from './review.entity.js';
import { toReviewResponse, type ReviewResponse } from './review.response.js';

@Injectable()
export class ReviewsService {
  constructor(
    @InjectRepository(Review) private readonly reviews: Repository<Review>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
    private readonly cars: CarsService,
  ) {}

  async list(query: ListReviewsQuery): Promise<Page<ReviewResponse>> {
    const [rows, total] = await this.reviews.findAndCount({
      where: query.carId ? { carId: query.carId } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toReviewResponse), total };
  }

  async findOne(id: string): Promise<ReviewResponse> {
    const review = await this.reviews.findOneBy({ id });
    if (!review) throw new NotFoundException('Review not found');
    return toReviewResponse(review);
  }

  async create(dto: CreateReviewDto): Promise<ReviewResponse> {
    return this.dataSource.transaction(async (manager) => {
      const car = await this.cars.lockForReference(manager, dto.carId);
      const review = await manager.save(manager.create(Review, { comment: '', ...dto }));
      const response = toReviewResponse(review);
      await this.events.emitAsync(
        ReviewCreatedEvent.eventName,
        new ReviewCreatedEvent(manager, response, `${car.make} ${car.model}`),
      );
      return response;
    });
  }
}
