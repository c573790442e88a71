import type { TableChanges } from './table-changes.js';

/**
 * Values computed from tables, kept until one of those tables changes (see TableChanges). A value
 * loaded while a change was announced may predate it, so it is handed out but not kept; nothing is
 * kept while changes cannot be heard. At most `maxEntries` values (then it starts over).
 */
export class InvalidatedCache<V> {
  private readonly entries = new Map<string, V>();
  private generation = 0;

  constructor(
    private readonly changes: TableChanges,
    tables: readonly string[],
    private readonly maxEntries: number,
  ) {
    changes.watch(tables, () => this.clear());
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Loads the value of `key` now (not from the cache) and keeps it, unless a change came meanwhile. */
  async load(key: string, loader: () => Promise<V>): Promise<V> {
    const generation = this.generation;
    const value = await loader();
    if (generation === this.generation && this.changes.reliable) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
