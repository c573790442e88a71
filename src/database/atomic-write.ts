import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** A SELECT and its parameters (numbered from $1): see AtomicWrite.onlyIf. */
export interface Guard {
  sql: string;
  params: unknown[];
}

interface Insert {
  target: EntityTarget<ObjectLiteral>;
  row: ObjectLiteral;
}

/**
 * Rows that must be stored together, written as ONE statement (one data-modifying CTE per row):
 * one round trip, and atomic by itself when it runs outside a transaction. A `guard` (a SELECT,
 * typically locking the row it checks) decides whether anything is written at all: the caller reads
 * what it needs first, without a transaction, and the guard re-checks it where it counts. The hot
 * write path (POST /bookings) is read, decide, one statement: the booking, its history entry and its
 * outbox notification.
 */
export class AtomicWrite {
  private readonly inserts: Insert[] = [];
  private guard?: Guard;

  /** Nothing is written unless the guard's SELECT returns a row. */
  onlyIf(guard: Guard): this {
    this.guard = guard;
    return this;
  }

  /** One row of `target`, by property name; columns left out take their defaults. */
  insert<T extends ObjectLiteral>(target: EntityTarget<T>, row: Partial<T>): this {
    this.inserts.push({ target, row });
    return this;
  }

  /**
   * Writes in `manager`: inside its transaction if it has one, else as a statement of its own.
   * False when the guard found nothing: then nothing was written. A write without rows sends
   * nothing (its guard included).
   */
  async run(manager: EntityManager): Promise<boolean> {
    if (this.inserts.length === 0) return true;
    const { sql, params } = this.statement(manager);
    const [{ held }] = await manager.query<{ held: boolean }[]>(sql, params);
    return held;
  }

  /**
   * `WITH guard AS (…), w0 AS (INSERT … SELECT … FROM json_populate_record(NULL::table, $n)), …`:
   * each row travels as one JSON parameter and PostgreSQL converts it to the table's own column
   * types, so no cast is spelled here. The guard is evaluated once, before any insert reads it.
   */
  private statement(manager: EntityManager): { sql: string; params: unknown[] } {
    const params = [...(this.guard?.params ?? [])];
    const ctes = this.guard ? [`guard AS (${this.guard.sql})`] : [];
    for (const [index, { target, row }] of this.inserts.entries()) {
      const metadata = manager.connection.getMetadata(target);
      const values: Record<string, unknown> = {};
      for (const [property, value] of Object.entries(row)) {
        const column = metadata.findColumnWithPropertyName(property);
        if (!column) throw new Error(`${metadata.name} has no column "${property}"`);
        const transformer = Array.isArray(column.transformer) ? undefined : column.transformer;
        values[column.databaseName] = transformer ? transformer.to(value) : value;
      }
      params.push(JSON.stringify(values));
      const columns = Object.keys(values)
        .map((name) => `"${name}"`)
        .join(', ');
      ctes.push(
        `w${index} AS (INSERT INTO "${metadata.tableName}" (${columns}) SELECT ${columns} ` +
          `FROM json_populate_record(NULL::"${metadata.tableName}", $${params.length}::json)` +
          `${this.guard ? ' WHERE EXISTS (SELECT FROM guard)' : ''})`,
      );
    }
    const held = this.guard ? 'EXISTS (SELECT FROM guard)' : 'true';
    return { sql: `WITH ${ctes.join(', ')} SELECT ${held} AS held`, params };
  }
}
