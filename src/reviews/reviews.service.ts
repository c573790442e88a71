import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Not, Repository, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { actorStamp, defaultAgency, hasRole, ownAgency, type Actor } from '../auth/actor.js';
import { Booking } from '../bookings/booking.entity.js';
import { Car } from '../cars/car.entity.js';
import { CarsService } from '../cars/cars.service.js';
import type { Environment } from '../config/environment.js';
import type { Page } from '../common/pagination.query.js';
import { audit } from '../audit/audit.js';
import { AtomicWrite } from '../database/atomic-write.js';
import { TableChanges } from '../database/table-changes.js';
import { addNotice } from '../realtime/outbox.js';
import type { CreateReviewDto } from './dto/create-review.dto.js';
import type { ListReviewsQuery } from './dto/list-reviews.query.js';
import type { UpdateReviewDto } from './dto/update-review.dto.js';
import { replyNotice, reviewCreatedNotice } from './review.notices.js';

const DAY_MS = 24 * 60 * 60 * 1000;
import { Review } from './review.entity.js';
import { toReviewResponse, type ReviewResponse } from './review.response.js';

@Injectable()
export class ReviewsService {
  private readonly editDays: number;

  constructor(
    @InjectRepository(Review) private readonly reviews: Repository<Review>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cars: CarsService,
    private readonly changes: TableChanges,
    config: ConfigService<Environment, true>,
  ) {
    this.editDays = config.get('REVIEW_EDIT_DAYS', { infer: true });
  }

  /** Everyone sees every shown review, except an agency: its cars' only; `mine`: a renter's own. */
  async list(query: ListReviewsQuery, actor: Actor): Promise<Page<ReviewResponse>> {
    const where: FindOptionsWhere<Review> = visibleTo(actor);
    if (query.carId) where.carId = query.carId;
    if (query.mine) {
      if (!hasRole(actor, 'renter'))
        throw new ForbiddenException("mine=true lists a renter's own reviews: it needs a renter token");
      where.renterId = actor.sub;
      where.bookingId = Not(IsNull());
    }
    const [rows, total] = await this.reviews.findAndCount({
      where,
      withDeleted: true,
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: rows.map(toReviewResponse), total };
  }

  async findOne(id: string, actor: Actor): Promise<ReviewResponse> {
    const review = await this.reviews.findOne({ where: { ...visibleTo(actor), id }, withDeleted: true });
    if (!review) throw new NotFoundException('Review not found');
    return toReviewResponse(review);
  }

  /** A renter edits their own review within REVIEW_EDIT_DAYS; the car's rating follows (CAR_RATINGS_SQL). */
  async update(id: string, dto: UpdateReviewDto, actor: Actor): Promise<ReviewResponse> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const review = await this.ownLocked(manager, id, actor, 'edit');
      if (dto.rating !== undefined) review.rating = dto.rating;
      if (dto.comment !== undefined) review.comment = dto.comment;
      return toReviewResponse(await manager.save(review));
    });
    this.changes.committed('reviews');
    return updated;
  }

  /**
   * Removes a review from view (it is kept, with who removed it, when and why): a renter their own
   * within REVIEW_EDIT_DAYS, the admin any (moderation: `reason` required).
   */
  async remove(id: string, reason: string | undefined, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      let review: Review;
      if (hasRole(actor, 'admin')) {
        if (!reason) throw new BadRequestException('reason is required: why the review is removed');
        review = await this.locked(manager, id);
      } else {
        review = await this.ownLocked(manager, id, actor, 'delete');
      }
      review.removedAt = new Date();
      review.removedBy = actorStamp(actor).sub;
      review.removalReason = reason ?? null;
      await manager.save(review);
      if (hasRole(actor, 'admin')) {
        const moderation = audit(new AtomicWrite(), actor, {
          action: 'review.remove',
          entityType: 'review',
          entityId: id,
          before: { rating: review.rating, comment: review.comment },
          reason,
        });
        await moderation.run(manager);
      }
    });
    this.changes.committed('reviews');
  }

  /** The car's agency replies once; the renter who wrote the review is told. */
  async reply(id: string, comment: string, actor: Actor): Promise<ReviewResponse> {
    const replied = await this.dataSource.transaction(async (manager) => {
      const review = await this.locked(manager, id);
      const car = await manager.findOneOrFail(Car, { where: { id: review.carId }, withDeleted: true });
      const own = defaultAgency(actor);
      if (own !== car.agencyId) throw new ForbiddenException("Only the car's agency may reply to its reviews");
      if (review.replyComment !== null) throw new ConflictException('This review has a reply already');
      review.replyComment = comment;
      review.replyCreatedAt = new Date();
      const response = toReviewResponse(await manager.save(review));
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

  /** The shown review `id`, locked for a change; 404 when there is none. */
  private async locked(manager: EntityManager, id: string): Promise<Review> {
    const review = await manager.findOne(Review, {
      where: { id, removedAt: IsNull() },
      lock: { mode: 'pessimistic_write' },
    });
    if (!review) throw new NotFoundException('Review not found');
    return review;
  }

  /** `actor`'s own review `id`, locked, while it may still be changed. */
  private async ownLocked(manager: EntityManager, id: string, actor: Actor, what: 'edit' | 'delete'): Promise<Review> {
    const review = await this.locked(manager, id);
    if (!hasRole(actor, 'renter') || review.renterId !== actor.sub || review.bookingId === null) {
      throw new ForbiddenException(`Only the renter who wrote a review may ${what} it`);
    }
    if (Date.now() - review.createdAt.getTime() > this.editDays * DAY_MS) {
      throw new ForbiddenException(`A review may be changed for ${this.editDays} days after it was written`);
    }
    return review;
  }

  /**
   * A renter reviews only a Completed booking of its own, once (verified reviews). The review and the
   * agency's notification (the outbox row) commit together.
   */
  async create(dto: CreateReviewDto, actor: Actor): Promise<ReviewResponse> {
    const created = await this.dataSource.transaction(async (manager) => {
      const car = await this.cars.lockForReference(manager, dto.carId, actor);
      let fields: Partial<Review> = { comment: '', ...dto };
      if (hasRole(actor, 'renter')) {
        const bookingId = await this.reviewableBooking(manager, car.id, actor.sub, dto.bookingId);
        fields = { ...fields, bookingId, renterId: actor.sub, renterName: actor.name ?? dto.renterName };
      }
      // A second review of one booking violates the unique index: the exception filter answers 409.
      const review = await manager.save(manager.create(Review, fields));
      const response = toReviewResponse(review);
      await addNotice(new AtomicWrite(), reviewCreatedNotice(response, `${car.make} ${car.model}`, car.agencyId)).run(
        manager,
      );
      return response;
    });
    this.changes.committed('reviews');
    return created;
  }

  /**
   * The renter's Completed booking of the car to review: the one named, or one not reviewed yet. Only
   * a booking the renter's own token created counts (`renter_account`): a booking someone else made in
   * the renter's name does not make a review verified.
   */
  private async reviewableBooking(
    manager: EntityManager,
    carId: string,
    renterId: string,
    named?: string,
  ): Promise<string> {
    const query = manager
      .createQueryBuilder(Booking, 'b')
      .where("b.car_id = :carId AND b.renter_id = :renterId AND b.renter_account AND b.status = 'Completed'", {
        carId,
        renterId,
      })
      .orderBy('b.end_date', 'ASC')
      .addOrderBy('b.id', 'ASC');
    if (named) query.andWhere('b.id = :named', { named });
    const made = await query.getMany();
    if (made.length === 0) {
      throw new ForbiddenException('Only a renter with a Completed booking of this car that they made may review it');
    }
    const reviewed = new Set(
      (await manager.find(Review, { where: { bookingId: In(made.map((b) => b.id)) } })).map((r) => r.bookingId),
    );
    const open = made.find((booking) => !reviewed.has(booking.id));
    if (!open) throw new ConflictException('This booking has been reviewed already');
    return open.id;
  }
}

/** The shown reviews: an agency sees its cars'; everyone else all of them. */
function visibleTo(actor: Actor): FindOptionsWhere<Review> {
  const own = ownAgency(actor);
  return own === undefined ? { removedAt: IsNull() } : { removedAt: IsNull(), car: { agencyId: own } };
}
