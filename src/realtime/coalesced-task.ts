import { backoffMs } from '../database/availability.js';

/**
 * Runs `work` one call at a time. A trigger while it runs makes it run once more afterwards, so
 * nothing triggered during a run is missed and a burst of triggers costs one extra run. A failed run
 * is reported and tried again after the database back-off (the database may be down; a later
 * trigger also retries at once).
 */
export class CoalescedTask {
  private running = false;
  private again = false;
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  trigger(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.runAll().finally(() => (this.running = false));
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
  }

  private async runAll(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.work();
      } while (this.again && !this.closed);
      this.failures = 0;
    } catch (error) {
      this.again = false;
      if (this.closed) return;
      this.onError(error);
      this.failures += 1;
      this.retry ??= setTimeout(() => {
        this.retry = null;
        this.trigger();
      }, backoffMs(this.failures)).unref();
    }
  }
}
