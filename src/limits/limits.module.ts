import { Global, Module } from '@nestjs/common';
import { ClientLimits } from './client-limits.service.js';

/**
 * Limits on abuse, per client: open streams and sockets (ClientLimits), writes
 * per minute (writeRateLimit, applied in configureApp), chat frames per socket
 * (the gateway). RATE_LIMITS=off lifts them all.
 */
@Global()
@Module({
  providers: [ClientLimits],
  exports: [ClientLimits],
})
export class LimitsModule {}
