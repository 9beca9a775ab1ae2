CREATE TABLE "bulk_export_file" (
	"job_id" uuid NOT NULL,
	"resource_type" text NOT NULL,
	"count" integer NOT NULL,
	"content" text NOT NULL,
	CONSTRAINT "bulk_export_file_job_id_resource_type_pk" PRIMARY KEY("job_id","resource_type")
);
--> statement-breakpoint
CREATE TABLE "bulk_export_job" (
	"id" uuid PRIMARY KEY NOT NULL,
	"requester_id" uuid NOT NULL,
	"state" text NOT NULL,
	"request" text NOT NULL,
	"since" timestamp with time zone,
	"types" text[] NOT NULL,
	"group_id" uuid,
	"progress" integer DEFAULT 0 NOT NULL,
	"error" text,
	"transaction_time" timestamp with time zone,
	"claimed_until" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bulk_export_job_state" CHECK ("bulk_export_job"."state" in ('in-progress', 'completed', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "bulk_export_file" ADD CONSTRAINT "bulk_export_file_job_id_bulk_export_job_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."bulk_export_job"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_export_job" ADD CONSTRAINT "bulk_export_job_requester_id_staff_user_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulk_export_job_state_idx" ON "bulk_export_job" USING btree ("state","claimed_until");--> statement-breakpoint
CREATE INDEX "bulk_export_job_expires_idx" ON "bulk_export_job" USING btree ("expires_at");