import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { Periodic } from '../common/periodic.js';
import { isDatabaseUnavailable } from '../database/availability.js';
import { OverviewRepository } from './overview.repository.js';

/** Deltas folded per statement. */
const BATCH = 10_000;

/**
 * Folds the analytics deltas the triggers append into the daily rollups, every ROLLUP_FOLD_SECONDS
 * on every process (fold_rollups skips what another fold is moving). Figures do not wait for it:
 * readers sum the rollups and the deltas not folded yet; folding keeps what they read small.
 */
@Injectable()
export class RollupsFolder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RollupsFolder.name);
  private readonly periodic: Periodic;

  constructor(
    private readonly figures: OverviewRepository,
    config: ConfigService<Environment, true>,
  ) {
    this.periodic = new Periodic(config.get('ROLLUP_FOLD_SECONDS', { infer: true }) * 1000, () => this.fold());
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /** Folds every delta there is now; returns how many this process moved. */
  async fold(): Promise<number> {
    let moved = 0;
    try {
      let batch: number;
      do {
        batch = await this.figures.fold(BATCH);
        moved += batch;
      } while (batch === BATCH && !this.periodic.stopped);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) this.logger.error(`Folding the analytics rollups failed: ${String(error)}`);
    }
    if (moved > 0) this.logger.debug(`Folded ${moved} analytics delta(s) into the daily rollups`);
    return moved;
  }
}
