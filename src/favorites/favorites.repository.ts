import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { User } from '../access/actor.js';
import { Favorite } from './favorite.entity.js';

/** The SQL of favourites (their list is the catalogue's: CarsService.catalogue). */
@Injectable()
export class FavoritesRepository {
  /** Adds the car to the user's favourites; nothing when it is there already. */
  async add(manager: EntityManager, user: User, carId: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(Favorite)
      .values({ issuer: user.issuer, sub: user.sub, carId })
      .orIgnore()
      .execute();
  }

  async remove(manager: EntityManager, user: User, carId: string): Promise<void> {
    await manager.delete(Favorite, { issuer: user.issuer, sub: user.sub, carId });
  }
}
