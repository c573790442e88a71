/** What can be closed: a test application. */
interface Closable {
  close(): Promise<void>;
}

/** The applications started in this test file and not closed yet (createTestApp adds, close removes). */
export const running = new Set<Closable>();

/**
 * Closes what a test file left open: an application whose test failed before its own close (each
 * holds a pool, a LISTEN connection and timers, and Jest would not end). Run after every file.
 */
export async function closeLeftOpen(): Promise<void> {
  await Promise.all([...running].map((handle) => handle.close()));
}
