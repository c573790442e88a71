import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { actorStamp, type Actor } from '../access/actor.js';
import { policies } from '../access/policies.js';
import { BookingsRepository } from '../bookings/bookings.repository.js';
import { Car } from '../cars/car.entity.js';
import { CarsService } from '../cars/cars.service.js';
import type { Environment } from '../config/environment.js';
import type { Page } from '../common/pagination.query.js';
import { AtomicWrite } from '../database/atomic-write.js';
import { TableChanges } from '../database/table-changes.js';
import { Transactions } from '../database/transactions.js';
import { addNotice } from '../notifications/notice.js';
import type { CreateReviewDto } from './dto/create-review.dto.js';
import type { ListReviewsQuery } from './dto/list-reviews.query.js';
import type { UpdateReviewDto } from './dto/update-review.dto.js';
import { replyNotice, reviewCreatedNotice } from './review.notices.js';
import { Review } from './review.entity.js';
import { toReviewResponse, type ReviewResponse } from './review.response.js';
import { ReviewsRepository } from './reviews.repository.js';
import { Conflict, InvalidInput, NotAllowed, NotFound } from '../common/domain-errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class ReviewsService {
  private readonly editDays: number;

  constructor(
    private readonly reviews: ReviewsRepository,
    private readonly bookings: BookingsRepository,
    private readonly transactions: Transactions,
    private readonly cars: CarsService,
    private readonly changes: TableChanges,
    config: ConfigService<Environment, true>,
  ) {
    this.editDays = config.get('REVIEW_EDIT_DAYS', { infer: true });
  }

  /** The shown reviews `actor` may see (see policies.reviews); `mine`: a renter's own. */
  async list(query: ListReviewsQuery, actor: Actor): Promise<Page<ReviewResponse>> {
    const reach = query.mine ? { kind: 'renter' as const, sub: policies.ownReviews(actor) } : policies.reviews(actor);
    const { items, total } = await this.reviews.list(this.transactions.manager, reach, query);
    return { items: items.map((review) => toReviewResponse(review)), total };
  }

  async findOne(id: string, actor: Actor): Promise<ReviewResponse> {
    const review = await this.reviews.find(this.transactions.manager, policies.reviews(actor), id);
    if (!review) throw new NotFound('Review not found');
    return toReviewResponse(review);
  }

  /** A renter edits their own review within REVIEW_EDIT_DAYS; the car's rating follows (a trigger). */
  async update(id: string, dto: UpdateReviewDto, actor: Actor): Promise<ReviewResponse> {
    const updated = await this.transactions.run(async (manager) => {
      const review = await this.ownLocked(manager, id, actor, 'edit');
      if (dto.rating !== undefined) review.rating = dto.rating;
      if (dto.comment !== undefined) review.comment = dto.comment;
      const car = await manager.findOneOrFail(Car, { where: { id: review.carId }, withDeleted: true });
      return toReviewResponse(await manager.save(review), car);
    });
    this.changes.committed('reviews');
    return updated;
  }

  /**
   * Removes a review from view (it is kept, with who removed it, when and why): a renter their own
   * within REVIEW_EDIT_DAYS, the admin team any (moderation: `reason` required).
   */
  async remove(id: string, reason: string | undefined, actor: Actor): Promise<void> {
    await this.transactions.run(async (manager) => {
      let review: Review;
      if (policies.moderatesReviews(actor)) {
        if (!reason) throw new InvalidInput('reason is required: why the review is removed');
        review = await this.locked(manager, id);
      } else {
        review = await this.ownLocked(manager, id, actor, 'delete');
      }
      review.removedAt = new Date();
      review.removedBy = actorStamp(actor).sub;
      review.removalReason = reason ?? null;
      await manager.save(review);
    });
    this.changes.committed('reviews');
  }

  /** The car's agency replies once; the renter who wrote the review is told. */
  async reply(id: string, comment: string, actor: Actor): Promise<ReviewResponse> {
    const replied = await this.transactions.run(async (manager) => {
      const review = await this.locked(manager, id);
      const car = await manager.findOneOrFail(Car, { where: { id: review.carId }, withDeleted: true });
      if (!policies.mayReply(actor, car.agencyId)) {
        throw new NotAllowed("Only the car's agency may reply to its reviews");
      }
      if (review.replyComment !== null) throw new Conflict('This review has a reply already');
      review.replyComment = comment;
      review.replyCreatedAt = new Date();
      const response = toReviewResponse(await manager.save(review), car);
      // A verified review's renter wrote it with their own token: they have a feed.
      if (review.bookingId !== null) {
        await addNotice(new AtomicWrite(), replyNotice(response, `${car.make} ${car.model}`, car.agencyId)).run(
          manager,
        );
      }
      return response;
    });
    this.changes.committed('reviews');
    return replied;
  }

  /**
   * A renter reviews only a Completed booking of its own of that car, once (verified reviews). The
   * admin team (and open mode) writes unverified reviews, never in a renter's name nor of a booking.
   * The review and the agency's notification (the outbox row) commit together.
   */
  async create(dto: CreateReviewDto, actor: Actor): Promise<ReviewResponse> {
    const author = policies.reviewAuthor(actor);
    if (!author.verified && author.sub !== undefined && dto.bookingId !== undefined) {
      throw new InvalidInput('bookingId: only a renter reviews a booking (their own), with their own token');
    }
    if (author.sub === undefined && (!dto.renterId || !dto.renterName)) {
      throw new InvalidInput('renterId and renterName are required: who wrote the review');
    }
    const created = await this.transactions.run(async (manager) => {
      const car = await this.cars.lockForReference(manager, dto.carId, actor);
      let fields: Partial<Review> = { comment: '', ...dto };
      if (author.verified && author.sub !== undefined) {
        const bookingId = await this.reviewableBooking(manager, car.id, author.sub, dto.bookingId);
        const renterName = author.name ?? dto.renterName ?? author.sub;
        fields = { ...fields, bookingId, renterId: author.sub, renterName };
      } else if (author.sub !== undefined) {
        // The admin team writes in its own name, never in a renter's.
        const renterName = dto.renterName ?? author.name ?? 'The platform team';
        fields = { ...fields, bookingId: null, renterId: author.sub, renterName };
      } else if (dto.bookingId !== undefined) {
        const booking = await this.bookings.find(manager, { kind: 'all' }, dto.bookingId);
        if (!booking || booking.carId !== car.id || booking.renterId !== dto.renterId) {
          throw new InvalidInput('bookingId must name a booking of this car by this renter');
        }
      }
      // A second review of one booking violates the unique index: the exception filter answers 409.
      const review = await manager.save(manager.create(Review, fields));
      const response = toReviewResponse(review, car);
      await addNotice(new AtomicWrite(), reviewCreatedNotice(response, `${car.make} ${car.model}`, car.agencyId)).run(
        manager,
      );
      return response;
    });
    this.changes.committed('reviews');
    return created;
  }

  /** The shown review `id`, locked for a change; 404 when there is none. */
  private async locked(manager: EntityManager, id: string): Promise<Review> {
    const review = await this.reviews.locked(manager, id);
    if (!review) throw new NotFound('Review not found');
    return review;
  }

  /** `actor`'s own review `id`, locked, while it may still be changed. */
  private async ownLocked(manager: EntityManager, id: string, actor: Actor, what: 'edit' | 'delete'): Promise<Review> {
    const review = await this.locked(manager, id);
    if (!policies.mayChangeReview(actor, review)) {
      throw new NotAllowed(`Only the renter who wrote a review may ${what} it`);
    }
    if (Date.now() - review.createdAt.getTime() > this.editDays * DAY_MS) {
      throw new NotAllowed(`A review may be changed for ${this.editDays} days after it was written`);
    }
    return review;
  }

  /**
   * The renter's Completed booking of the car to review: the one named, or one not reviewed yet. Only
   * a booking of this car that the renter's own token created counts (`renter_account`): a booking
   * someone else made in the renter's name, or of another car, does not make a review verified.
   */
  private async reviewableBooking(
    manager: EntityManager,
    carId: string,
    renterSub: string,
    named?: string,
  ): Promise<string> {
    const made = await this.bookings.completedOf(manager, carId, renterSub, named);
    if (made.length === 0) {
      throw new NotAllowed('Only a renter with a Completed booking of this car that they made may review it');
    }
    const reviewed = await this.reviews.reviewed(
      manager,
      made.map((booking) => booking.id),
    );
    const open = made.find((booking) => !reviewed.has(booking.id));
    if (!open) throw new Conflict('This booking has been reviewed already');
    return open.id;
  }
}
