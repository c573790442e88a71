import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller.js';

/** The admin team's overview (GET /admin/overview). */
@Module({ controllers: [AdminController] })
export class AdminModule {}
