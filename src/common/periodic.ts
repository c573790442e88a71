/**
 * Runs `task` every `everyMs`, the next run that long after the previous one ended, until stopped.
 * The timer never keeps the process alive; stop() waits for a run under way to finish.
 */
export class Periodic {
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private halted = false;

  constructor(
    private readonly everyMs: number,
    private readonly task: () => Promise<unknown>,
  ) {}

  /** Whether stop() was called: a task looping over batches ends early. */
  get stopped(): boolean {
    return this.halted;
  }

  start(): void {
    if (this.halted) return;
    this.timer = setTimeout(() => {
      this.running = this.task().finally(() => this.start());
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.halted = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
