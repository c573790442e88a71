import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent } from 'typeorm';

/** What `afterCommit` keeps on a transaction's query runner until the transaction ends. */
const HOOKS = Symbol('afterCommit');
type RunnerData = { [HOOKS]?: (() => void)[] };

/**
 * Runs `hook` when the transaction of `runner` commits (never if it rolls back: a runner serves one
 * transaction), or at once when there is none. AfterCommitHooks does the running.
 */
export function afterCommit(runner: QueryRunner | undefined, hook: () => void): void {
  if (!runner?.isTransactionActive) {
    hook();
    return;
  }
  const data = (runner.data ??= {}) as RunnerData;
  (data[HOOKS] ??= []).push(hook);
}

/** Runs the hooks `afterCommit` kept on a transaction when TypeORM reports its commit. */
@Injectable()
export class AfterCommitHooks implements EntitySubscriberInterface {
  constructor(@InjectDataSource() dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    const data = queryRunner.data as RunnerData | undefined;
    const hooks = data?.[HOOKS] ?? [];
    if (data) delete data[HOOKS];
    for (const hook of hooks) hook();
  }
}
