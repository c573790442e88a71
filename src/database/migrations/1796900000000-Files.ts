import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Uploaded files in the API's own PostgreSQL: `files` describes each (what it is, whose), and
 * `file_variants` holds its bytes (the original, and for an image its resized copies), written in
 * the transaction that records the file and removed with it. A change to `files` is announced on
 * `table_changes`, so that every process forgets the variants it kept in memory.
 */
export class Files1796900000000 implements MigrationInterface {
  name = 'Files1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "files" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL,
         "content_type" text NOT NULL, "size" integer NOT NULL, "car_id" uuid, "agency_id" uuid,
         "owner_issuer" text, "owner_sub" text,
         "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "files_kind_known" CHECK ("kind" IN ('car_image', 'agency_document', 'user_document')),
         CONSTRAINT "PK_files" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "files_by_car" ON "files" ("car_id")`);
    await queryRunner.query(
      `ALTER TABLE "files" ADD CONSTRAINT "FK_files_car" FOREIGN KEY ("car_id") REFERENCES "cars"("id") ON DELETE CASCADE`,
    );
    await queryRunner.query(
      `CREATE TABLE "file_variants" ("file_id" uuid NOT NULL, "width" integer NOT NULL, "content_type" text NOT NULL,
         "size" integer NOT NULL, "etag" text NOT NULL, "bytes" bytea NOT NULL,
         CONSTRAINT "PK_file_variants" PRIMARY KEY ("file_id", "width"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "file_variants" ADD CONSTRAINT "FK_file_variants_file" FOREIGN KEY ("file_id") REFERENCES "files"("id") ON DELETE CASCADE`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "files_table_changes" AFTER UPDATE OR DELETE ON "files" FOR EACH STATEMENT EXECUTE FUNCTION "announce_table_change"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "file_variants"`);
    await queryRunner.query(`DROP TABLE "files"`);
  }
}
