import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** The transaction a request's writes join (see Transactions.request). */
const ambient = new AsyncLocalStorage<EntityManager>();

/**
 * Where writes run. Outside a request transaction: in the data source's pool, a transaction per
 * `run`. Inside one (an audited route, or a creating POST with an Idempotency-Key: see
 * Transactions.request), every `run` and every read through `manager` joins it, so that the row
 * the route's interceptor adds (its audit context, its stored answer) commits with the change or
 * not at all. Services take their EntityManager from here, never from the DataSource.
 */
@Injectable()
export class Transactions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The request transaction's manager when one is open, else the pool's. */
  get manager(): EntityManager {
    return ambient.getStore() ?? this.dataSource.manager;
  }

  /** Runs `work` in a transaction: the request's when one is open, else a new one. */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = ambient.getStore();
    return open ? work(open) : this.dataSource.transaction(work);
  }

  /**
   * Runs `work` (a route handler) in the request transaction: opened here unless one is open already
   * (then joined). `open` runs first in it, `close` last with what `work` returned; an exception
   * anywhere rolls everything back.
   */
  request<T>(
    work: () => Promise<T>,
    {
      open,
      close,
    }: {
      open?: (manager: EntityManager) => Promise<void>;
      close?: (manager: EntityManager, result: T) => Promise<void>;
    },
  ): Promise<T> {
    return this.run(async (manager) => {
      await open?.(manager);
      const result = await ambient.run(manager, work);
      await close?.(manager, result);
      return result;
    });
  }
}
