import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller.js';
import { AnalyticsService } from './analytics.service.js';
import { OverviewRepository } from './overview.repository.js';
import { RollupsFolder } from './rollups-folder.js';

/** The admin team's figures: the overview and series (GET /admin/overview[/series]) over daily rollups. */
@Module({ controllers: [AdminController], providers: [OverviewRepository, AnalyticsService, RollupsFolder] })
export class AdminModule {}
