CREATE TABLE "audit_alert" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule" text NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"actor_id" text,
	"entry_ids" bigint[] NOT NULL,
	"dedupe_key" text NOT NULL,
	"detail" jsonb,
	"status" text DEFAULT 'open' NOT NULL,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"incident_id" bigint,
	CONSTRAINT "audit_alert_status_known" CHECK ("audit_alert"."status" in ('open', 'dismissed', 'escalated'))
);
--> statement-breakpoint
CREATE TABLE "audit_entry" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sequence" bigint,
	"leaf_hash" "bytea",
	"at" timestamp with time zone NOT NULL,
	"category" text NOT NULL,
	"action" text NOT NULL,
	"outcome" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_role" text,
	"actor_label" text,
	"subject_user_id" uuid,
	"patient_id" uuid,
	"resource" jsonb,
	"policies" text[],
	"policy_version" integer,
	"request_id" text,
	"address" text,
	"detail" jsonb,
	CONSTRAINT "audit_entry_outcome_known" CHECK ("audit_entry"."outcome" in ('allowed', 'refused', 'succeeded', 'failed')),
	CONSTRAINT "audit_entry_integrated_whole" CHECK (("audit_entry"."sequence" is null) = ("audit_entry"."leaf_hash" is null))
);
--> statement-breakpoint
CREATE TABLE "audit_incident" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"opened_by" uuid NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"discovered_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"scope" text DEFAULT '' NOT NULL,
	"entry_ids" bigint[] DEFAULT '{}' NOT NULL,
	"authority_notified_at" timestamp with time zone,
	"individuals_notified_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "audit_incident_status_known" CHECK ("audit_incident"."status" in ('open', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "audit_incident_action" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by" uuid NOT NULL,
	"note" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_subtree" (
	"level" integer NOT NULL,
	"index" bigint NOT NULL,
	"hash" "bytea" NOT NULL,
	CONSTRAINT "audit_subtree_level_index_pk" PRIMARY KEY("level","index")
);
--> statement-breakpoint
CREATE TABLE "audit_tree_head" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tree_size" bigint NOT NULL,
	"root_hash" "bytea" NOT NULL,
	"timestamp" bigint NOT NULL,
	"key_id" text NOT NULL,
	"signature" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_tree_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"tree_size" bigint NOT NULL,
	"root_hash" "bytea" NOT NULL,
	"frontier" "bytea" NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "audit_tree_state_single" CHECK ("audit_tree_state"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "audit_incident_action" ADD CONSTRAINT "audit_incident_action_incident_id_audit_incident_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."audit_incident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_alert_dedupe_idx" ON "audit_alert" USING btree ("rule","dedupe_key");--> statement-breakpoint
CREATE INDEX "audit_alert_status_idx" ON "audit_alert" USING btree ("status","raised_at");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_entry_sequence_idx" ON "audit_entry" USING btree ("sequence");--> statement-breakpoint
CREATE INDEX "audit_entry_pending_idx" ON "audit_entry" USING btree ("id") WHERE "audit_entry"."sequence" is null;--> statement-breakpoint
CREATE INDEX "audit_entry_at_idx" ON "audit_entry" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_entry_patient_idx" ON "audit_entry" USING btree ("patient_id","at");--> statement-breakpoint
CREATE INDEX "audit_entry_actor_idx" ON "audit_entry" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "audit_entry_subject_idx" ON "audit_entry" USING btree ("subject_user_id","at");--> statement-breakpoint
CREATE INDEX "audit_entry_category_idx" ON "audit_entry" USING btree ("category","at");--> statement-breakpoint
CREATE INDEX "audit_incident_action_incident_idx" ON "audit_incident_action" USING btree ("incident_id","at");--> statement-breakpoint
CREATE INDEX "audit_tree_head_size_idx" ON "audit_tree_head" USING btree ("tree_size");
--> statement-breakpoint
-- Entries are never changed or removed: the one update allowed is the integrator's, which gives a
-- pending entry its sequence number and leaf hash and touches nothing else.
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.sequence IS NULL AND NEW.sequence IS NOT NULL
     AND (to_jsonb(NEW) - 'sequence' - 'leaf_hash') = (to_jsonb(OLD) - 'sequence' - 'leaf_hash') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit ledger is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON "audit_entry"
  FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
--> statement-breakpoint
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit ledger is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON "audit_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_tree_head_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_tree_head"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_subtree_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_subtree"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
