import { Controller, Get, HttpCode, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import { DATABASE_UNAVAILABLE_MESSAGE, RETRY_AFTER_SECONDS } from '../database/availability.js';
import { Lifecycle } from './lifecycle.service.js';
import { Public } from '../auth/access.decorator.js';

const HEALTHY = { schema: { example: { status: 'ok', info: { database: { status: 'up' } }, error: {}, details: {} } } };

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly lifecycle: Lifecycle,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and a database ping' })
  @ApiOkResponse(HEALTHY)
  @ApiServiceUnavailableResponse({ description: 'The database does not answer (with Retry-After)' })
  check(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.pingDatabase(response);
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'Readiness for a load balancer: 503 while the database is unreachable or during shutdown' })
  @ApiOkResponse(HEALTHY)
  @ApiServiceUnavailableResponse({ description: 'Not ready: database unreachable, or shutting down (Retry-After)' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    if (this.lifecycle.draining) {
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      throw new ServiceUnavailableException('Shutting down');
    }
    return this.pingDatabase(response);
  }

  /** The usual error body on failure: never the driver's message (it names the database host and port). */
  private async pingDatabase(response: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database.pingCheck('database', { timeout: 2000 })]);
    } catch {
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      throw new ServiceUnavailableException(DATABASE_UNAVAILABLE_MESSAGE);
    }
  }
}
