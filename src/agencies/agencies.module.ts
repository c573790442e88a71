import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesController } from './agencies.controller.js';
import { AgenciesService } from './agencies.service.js';
import { Agency } from './agency.entity.js';
import { AgenciesRepository } from './agencies.repository.js';
import { DocumentsModule } from '../documents/documents.module.js';

@Module({
  imports: [TypeOrmModule.forFeature([Agency]), DocumentsModule],
  controllers: [AgenciesController],
  providers: [AgenciesRepository, AgenciesService],
  exports: [AgenciesService],
})
export class AgenciesModule {}
