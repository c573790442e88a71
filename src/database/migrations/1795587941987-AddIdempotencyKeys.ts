import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddIdempotencyKeys1795587941987 implements MigrationInterface {
  name = 'AddIdempotencyKeys1795587941987';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "idempotency_keys" (
                "client" text NOT NULL,
                "key" text NOT NULL,
                "fingerprint" text NOT NULL,
                "status_code" integer,
                "body" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c82ecb706cb47c745d9963fcda5" PRIMARY KEY ("client", "key")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_5e72f040fdc5efc8eef52a388c" ON "idempotency_keys" ("created_at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_5e72f040fdc5efc8eef52a388c"
        `);
    await queryRunner.query(`
            DROP TABLE "idempotency_keys"
        `);
  }
}
