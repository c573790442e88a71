import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller.js';
import { OverviewRepository } from './overview.repository.js';

/** The admin team's overview (GET /admin/overview). */
@Module({ controllers: [AdminController], providers: [OverviewRepository] })
export class AdminModule {}
