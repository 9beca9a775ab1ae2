CREATE TABLE "organisation" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"default_locale" text NOT NULL,
	"time_zone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_single_row" CHECK ("organisation"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "demo_seed" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"seeded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "demo_seed_single_row" CHECK ("demo_seed"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "csp_violation" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"document_path" text,
	"blocked_origin" text,
	"effective_directive" text,
	"disposition" text,
	"source_path" text,
	"line_number" integer
);
--> statement-breakpoint
CREATE TABLE "staff_user" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "staff_user_email_unique" UNIQUE("email"),
	CONSTRAINT "staff_user_role_known" CHECK (role in ('admin', 'security_officer', 'clinician', 'nurse', 'front_desk', 'researcher')),
	CONSTRAINT "staff_user_email_lower" CHECK ("staff_user"."email" = lower("staff_user"."email"))
);
--> statement-breakpoint
CREATE TABLE "data_key" (
	"purpose" text NOT NULL,
	"version" integer NOT NULL,
	"wrapped_key" text NOT NULL,
	"master_fingerprint" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_key_purpose_version_pk" PRIMARY KEY("purpose","version")
);
--> statement-breakpoint
CREATE TABLE "clinical_resource" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"resource_type" text NOT NULL,
	"resource" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patient" (
	"id" uuid PRIMARY KEY NOT NULL,
	"resource" text NOT NULL,
	"mrn_index" text,
	"family_index" text,
	"birth_date_index" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "patient_mrn_index_unique" UNIQUE("mrn_index")
);
--> statement-breakpoint
ALTER TABLE "clinical_resource" ADD CONSTRAINT "clinical_resource_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clinical_resource_patient_idx" ON "clinical_resource" USING btree ("patient_id","resource_type");--> statement-breakpoint
CREATE INDEX "patient_family_idx" ON "patient" USING btree ("family_index");--> statement-breakpoint
CREATE INDEX "patient_birth_date_idx" ON "patient" USING btree ("birth_date_index");