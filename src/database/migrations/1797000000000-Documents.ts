import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Papers sent for verification: an agency's (business licence, insurance, registration, other) and a
 * renter's (driving licence, ID card), each a file reviewed by the admin team (audited).
 */
export class Documents1797000000000 implements MigrationInterface {
  name = 'Documents1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "file_id" uuid NOT NULL,
         "type" text NOT NULL, "agency_id" uuid, "owner_issuer" text, "owner_sub" text,
         "status" text NOT NULL DEFAULT 'pending', "reason" text, "reviewed_by" text,
         "reviewed_at" TIMESTAMP(3) WITH TIME ZONE,
         "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "documents_status_known" CHECK ("status" IN ('pending', 'approved', 'rejected')),
         CONSTRAINT "documents_type_known" CHECK ("type" IN ('business_licence', 'insurance', 'registration', 'other', 'driving_licence', 'id_card')),
         CONSTRAINT "documents_have_an_owner" CHECK (("agency_id" IS NULL) <> ("owner_sub" IS NULL)),
         CONSTRAINT "PK_documents" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "documents_by_file" ON "documents" ("file_id")`);
    await queryRunner.query(`CREATE INDEX "documents_by_agency" ON "documents" ("agency_id", "created_at")`);
    await queryRunner.query(
      `CREATE INDEX "documents_by_owner" ON "documents" ("owner_sub", "owner_issuer", "created_at")`,
    );
    await queryRunner.query(
      `ALTER TABLE "documents" ADD CONSTRAINT "FK_documents_file" FOREIGN KEY ("file_id") REFERENCES "files"("id") ON DELETE CASCADE`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "documents_audit" AFTER INSERT OR UPDATE OR DELETE ON "documents" FOR EACH ROW
       WHEN (coalesce(current_setting('app.audit', true), '') <> '')
       EXECUTE FUNCTION "audit_change"('document', 'id')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "documents"`);
  }
}
