import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { OutboxTable } from './outbox.js';

/** The SQL of the outbox relay (the `feed_relay` function is created by the migrations). */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One relay run over `feed`'s table, at most `batch` rows; returns how many rows it stamped. */
  async stamp({ table, insertOrder, channel }: OutboxTable, batch: number): Promise<number> {
    const [{ stamped }] = await this.dataSource.query<{ stamped: number }[]>(
      'SELECT feed_relay($1, $2, $3, $4) AS stamped',
      [table, insertOrder, channel, batch],
    );
    return stamped;
  }

  /** The newest feed_seq stamped in `feed`'s table (0 when none). */
  async newest({ table }: OutboxTable): Promise<bigint> {
    const [{ max }] = await this.dataSource.query<{ max: string | null }[]>(
      `SELECT max("feed_seq")::text AS max FROM "${table}"`,
    );
    return BigInt(max ?? 0);
  }
}
