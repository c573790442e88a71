import { timingSafeEqual } from 'node:crypto';
import { Controller, ForbiddenException, Get, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { bearerToken } from '../auth/bearer-token.js';
import { TokenVerifier } from '../auth/token-verifier.service.js';
import type { Request, Response } from 'express';
import type { Environment } from '../config/environment.js';
import { Metrics } from './metrics.service.js';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  private readonly token: Buffer | null;

  constructor(
    private readonly metrics: Metrics,
    private readonly verifier: TokenVerifier,
    config: ConfigService<Environment, true>,
  ) {
    const token = config.get('METRICS_TOKEN', { infer: true });
    this.token = token ? Buffer.from(token) : null;
  }

  @Get()
  @Access({ selfChecked: true })
  @ApiForbiddenResponse({ description: 'A token of another role than admin' })
  @ApiOperation({ summary: 'Prometheus metrics; with METRICS_TOKEN set, send it as a bearer token' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format' })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the request does not carry it' })
  async scrape(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    if (!(await this.allowed(request))) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException(
        this.verifier.mode === 'token'
          ? 'Send an admin token or METRICS_TOKEN as Authorization: Bearer <token>'
          : 'Send METRICS_TOKEN as Authorization: Bearer <token>',
      );
    }
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }

  /** METRICS_TOKEN when set; in token mode an admin token too; in open mode without METRICS_TOKEN, anyone local. */
  private async allowed(request: Request): Promise<boolean> {
    if (this.token && this.authorized(request.headers.authorization)) return true;
    if (this.verifier.mode === 'open') return !this.token;
    const token = bearerToken(request, false);
    if (!token) return false;
    const user = await this.verifier.verify(token).catch(() => null);
    if (user && user.role !== 'admin') throw new ForbiddenException('Metrics are for the admin team');
    return user !== null;
  }

  private authorized(authorization: string | undefined): boolean {
    const given = Buffer.from(authorization?.replace(/^Bearer /i, '') ?? '');
    return given.length === this.token!.length && timingSafeEqual(given, this.token!);
  }
}
