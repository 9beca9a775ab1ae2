CREATE TABLE "ehr_connection" (
	"id" text PRIMARY KEY NOT NULL,
	"base_url" text,
	"patient_identifier_system" text,
	"auth_kind" text,
	"client_id" text,
	"scopes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"private_key" text,
	"public_jwks" jsonb,
	"bearer_token" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ehr_imported_resource" (
	"remote" text PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"local_type" text NOT NULL,
	"local_id" uuid NOT NULL,
	"remote_version" text,
	"imported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ehr_writeback_job" (
	"appointment_id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"claimed_until" timestamp with time zone,
	"last_error" text,
	"remote_encounter" text,
	"remote_document" text,
	"requested_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "client_access_token" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"client_id" uuid NOT NULL,
	"scopes" jsonb NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "client_assertion_jti" (
	"client_id" uuid NOT NULL,
	"jti" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "client_assertion_jti_client_id_jti_pk" PRIMARY KEY("client_id","jti")
);
--> statement-breakpoint
CREATE TABLE "system_client" (
	"client_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"jwks" jsonb NOT NULL,
	"scopes" jsonb NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ehr_connection" ADD CONSTRAINT "ehr_connection_updated_by_staff_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehr_imported_resource" ADD CONSTRAINT "ehr_imported_resource_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehr_writeback_job" ADD CONSTRAINT "ehr_writeback_job_appointment_id_appointment_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehr_writeback_job" ADD CONSTRAINT "ehr_writeback_job_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ehr_writeback_job" ADD CONSTRAINT "ehr_writeback_job_requested_by_staff_user_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_access_token" ADD CONSTRAINT "client_access_token_client_id_system_client_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."system_client"("client_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_assertion_jti" ADD CONSTRAINT "client_assertion_jti_client_id_system_client_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."system_client"("client_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_client" ADD CONSTRAINT "system_client_created_by_staff_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "client_access_token_expires_at_index" ON "client_access_token" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "client_assertion_jti_expires_at_index" ON "client_assertion_jti" USING btree ("expires_at");