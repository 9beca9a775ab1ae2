CREATE TABLE "fhir_resource_version" (
	"id" uuid NOT NULL,
	"version_id" integer NOT NULL,
	"resource_type" text NOT NULL,
	"resource" text NOT NULL,
	"last_updated" timestamp with time zone NOT NULL,
	CONSTRAINT "fhir_resource_version_id_version_id_pk" PRIMARY KEY("id","version_id")
);
--> statement-breakpoint
CREATE TABLE "fhir_search_token" (
	"resource_id" uuid NOT NULL,
	"param" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "fhir_search_token_resource_id_param_value_pk" PRIMARY KEY("resource_id","param","value")
);
--> statement-breakpoint
ALTER TABLE "clinical_resource" ADD COLUMN "version_id" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "clinical_resource" ADD COLUMN "encounter_id" uuid;--> statement-breakpoint
ALTER TABLE "clinical_resource" ADD COLUMN "date_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "clinical_resource" ADD COLUMN "date_end" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "clinical_resource" ADD COLUMN "search_indexed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "clinical_resource" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "patient" ADD COLUMN "version_id" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "patient" ADD COLUMN "search_indexed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "fhir_search_token_value_idx" ON "fhir_search_token" USING btree ("param","value");--> statement-breakpoint
CREATE INDEX "clinical_resource_type_date_idx" ON "clinical_resource" USING btree ("resource_type","date_start");--> statement-breakpoint
CREATE INDEX "clinical_resource_encounter_idx" ON "clinical_resource" USING btree ("encounter_id");--> statement-breakpoint
-- Resources written before versioning were last changed when they were created.
UPDATE "clinical_resource" SET "updated_at" = "created_at";
