import { jest } from '@jest/globals';

/**
 * Jest's clock for the unit specs: timers and `Date` are fake, promises and `nextTick` real, so a
 * back-off of seconds passes in no time while the code under test runs as it would.
 */
export function useFakeClock(): void {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
}

/** Moves the fake clock on by `ms`, running the timers due and the promises they settle. */
export async function elapse(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
}

/** Moves the fake clock on in small steps until `check` holds, failing after `withinMs` of fake time. */
export async function until(check: () => boolean, what: string, withinMs = 3000): Promise<void> {
  for (let waited = 0; !check(); waited += 2) {
    if (waited > withinMs) throw new Error(`Timed out waiting for ${what}`);
    await elapse(2);
  }
}
