import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Environment } from '../config/environment.js';
import { Metrics } from './metrics.service.js';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  private readonly token: Buffer | null;

  constructor(
    private readonly metrics: Metrics,
    config: ConfigService<Environment, true>,
  ) {
    const token = config.get('METRICS_TOKEN', { infer: true });
    this.token = token ? Buffer.from(token) : null;
  }

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics; with METRICS_TOKEN set, send it as a bearer token' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format' })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the request does not carry it' })
  async scrape(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    if (this.token && !this.authorized(request.headers.authorization)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException('Send METRICS_TOKEN as Authorization: Bearer <token>');
    }
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }

  private authorized(authorization: string | undefined): boolean {
    const given = Buffer.from(authorization?.replace(/^Bearer /i, '') ?? '');
    return given.length === this.token!.length && timingSafeEqual(given, this.token!);
  }
}
