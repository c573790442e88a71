import { Module } from '@nestjs/common';
import { Car } from './car.entity.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CarSnapshots } from './car-snapshots.js';
import { CarsListCache } from './cars-list.cache.js';
import { CarsController } from './cars.controller.js';
import { CarsRepository } from './cars.repository.js';
import { CarsService } from './cars.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Car])],
  controllers: [CarsController],
  providers: [CarsRepository, CarsService, CarsListCache, CarSnapshots],
  exports: [CarsService],
})
export class CarsModule {}
