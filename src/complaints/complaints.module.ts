import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module.js';
import { ComplaintsController } from './complaints.controller.js';
import { ComplaintsRepository } from './complaints.repository.js';
import { ComplaintsService } from './complaints.service.js';

@Module({
  imports: [BookingsModule],
  controllers: [ComplaintsController],
  providers: [ComplaintsRepository, ComplaintsService],
})
export class ComplaintsModule {}
