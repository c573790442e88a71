/**
 * The audit trail is append-only: a trigger refuses every UPDATE and DELETE of `audit_log`, whoever
 * sends it. Created by the PlatformCasework migration.
 */
export const AUDIT_APPEND_ONLY_FUNCTION = `
CREATE OR REPLACE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$`;

export const AUDIT_APPEND_ONLY_TRIGGER = `
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log"
FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"()`;
