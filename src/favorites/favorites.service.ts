import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor.js';
import { policies } from '../access/policies.js';
import type { CarResponse } from '../cars/car.response.js';
import { CarsService } from '../cars/cars.service.js';
import type { Page, PaginationQuery } from '../common/pagination.query.js';
import { Transactions } from '../database/transactions.js';
import { FavoritesRepository } from './favorites.repository.js';

/**
 * A renter's favourite cars. Adding one the renter cannot see (unknown, deleted, of a hidden agency)
 * is a 404; adding twice or removing what is not there changes nothing. The list shows the cars
 * the catalogue would: a car that is deleted or whose agency is hidden drops out of it.
 */
@Injectable()
export class FavoritesService {
  constructor(
    private readonly favorites: FavoritesRepository,
    private readonly cars: CarsService,
    private readonly transactions: Transactions,
  ) {}

  async add(carId: string, actor: Actor): Promise<void> {
    const user = policies.favoritesOwner(actor);
    await this.transactions.run(async (manager) => {
      await this.cars.lockForReference(manager, carId, actor);
      await this.favorites.add(manager, user, carId);
    });
  }

  async remove(carId: string, actor: Actor): Promise<void> {
    const user = policies.favoritesOwner(actor);
    await this.favorites.remove(this.transactions.manager, user, carId);
  }

  list(page: PaginationQuery, actor: Actor): Promise<Page<CarResponse>> {
    return this.cars.favoritesOf(policies.favoritesOwner(actor), page, actor);
  }
}
