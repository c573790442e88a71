import {
  EventSubscriber,
  type EntityManager,
  type EntitySubscriberInterface,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';

/** The NOTIFYs a transaction has queued (in its query runner's `data`), sent together just before it commits. */
interface QueuedNotifies {
  queuedNotifies?: Map<string, [channel: string, payload: string]>;
}

/**
 * Publishes `payload` on `channel` from inside the writer's transaction (`manager`):
 * PostgreSQL delivers it to every listening process only if, and once, that commits.
 * In a transaction, every NOTIFY it publishes goes in one statement just before COMMIT
 * (see NotifyAtCommit): one round trip however many modules publish. Outside one, at once.
 */
export async function publish(manager: EntityManager, channel: string, payload: string): Promise<void> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    await manager.query('SELECT pg_notify($1, $2)', [channel, payload]);
    return;
  }
  const data = (runner.data ??= {}) as QueuedNotifies;
  // PostgreSQL folds identical notifications of one transaction into one anyway.
  (data.queuedNotifies ??= new Map()).set(`${channel}\u0000${payload}`, [channel, payload]);
}

/** Sends a transaction's queued NOTIFYs in one statement before it commits; forgets them on rollback. */
@EventSubscriber()
export class NotifyAtCommit implements EntitySubscriberInterface {
  async beforeTransactionCommit({ queryRunner }: TransactionCommitEvent): Promise<void> {
    const data = queryRunner.data as QueuedNotifies | undefined;
    const queued = [...(data?.queuedNotifies?.values() ?? [])];
    if (queued.length === 0) return;
    data!.queuedNotifies = undefined;
    const calls = queued.map((_, index) => `pg_notify($${2 * index + 1}, $${2 * index + 2})`).join(', ');
    await queryRunner.query(`SELECT ${calls}`, queued.flat());
  }

  beforeTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    const data = queryRunner.data as QueuedNotifies | undefined;
    if (data) data.queuedNotifies = undefined;
  }
}
