import { Injectable, type BeforeApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';

/**
 * Where the process stands in its life, for readiness and a quick shutdown.
 * Nest's shutdown runs onModuleDestroy, then beforeApplicationShutdown (streams
 * and sockets end), then closes the HTTP server: from the first step on, the
 * node is draining (readiness 503, every response says `Connection: close`),
 * and keep-alive connections are closed as soon as they fall idle, so an idle
 * browser or load-balancer connection cannot hold the exit for its whole
 * keep-alive timeout.
 */
@Injectable()
export class Lifecycle implements OnModuleDestroy, BeforeApplicationShutdown {
  private isDraining = false;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  get draining(): boolean {
    return this.isDraining;
  }

  onModuleDestroy(): void {
    this.isDraining = true;
  }

  beforeApplicationShutdown(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    sweep.unref();
    server.once('close', () => clearInterval(sweep));
  }
}
