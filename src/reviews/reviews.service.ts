import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { hasRole, ownAgency, type Actor } from '../auth/actor.js';
import { Booking } from '../bookings/booking.entity.js';
import { CarsService } from '../cars/cars.service.js';
import type { Page } from '../common/pagination.query.js';
import { AtomicWrite } from '../database/atomic-write.js';
import { TableChanges } from '../database/table-changes.js';
import { addNotice } from '../realtime/outbox.js';
import type { CreateReviewDto } from './dto/create-review.dto.js';
import type { ListReviewsQuery } from './dto/list-reviews.query.js';
import { reviewCreatedNotice } from './review.notices.js';
import { Review } from './review.entity.js';
import { toReviewResponse, type ReviewResponse } from './review.response.js';

@Injectable()
export class ReviewsService {
  constructor(
    @InjectRepository(Review) private readonly reviews: Repository<Review>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cars: CarsService,
    private readonly changes: TableChanges,
  ) {}

  /** Everyone sees every review, except an agency: its cars' only. */
  async list(query: ListReviewsQuery, actor: Actor): Promise<Page<ReviewResponse>> {
    const where: FindOptionsWhere<Review> = visibleTo(actor);
    if (query.carId) where.carId = query.carId;
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
   * a booking the renter's own token created counts (its first history entry says who): a booking
   * someone else made in the renter's name does not make a review verified.
   */
  private async reviewableBooking(
    manager: EntityManager,
    carId: string,
    renterId: string,
    named?: string,
  ): Promise<string> {
    const query = manager
      .createQueryBuilder(Booking, 'b')
      .where("b.car_id = :carId AND b.renter_id = :renterId AND b.status = 'Completed'", { carId, renterId })
      // Its creation entry says the renter's own token made it.
      .andWhere(
        `EXISTS (SELECT 1 FROM booking_changes c WHERE c.booking_id = b.id AND c.status_from IS NULL
           AND c.actor_role = 'renter' AND c.actor_sub = :renterId)`,
      )
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

/** An agency sees its cars' reviews; everyone else all of them. */
function visibleTo(actor: Actor): FindOptionsWhere<Review> {
  const own = ownAgency(actor);
  return own === undefined ? {} : { car: { agencyId: own } };
}
