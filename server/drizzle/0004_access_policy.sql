CREATE TABLE "access_decision" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"principal_type" text NOT NULL,
	"principal_id" text NOT NULL,
	"role" text NOT NULL,
	"action" text NOT NULL,
	"resource" jsonb NOT NULL,
	"patient_id" uuid,
	"decision" text NOT NULL,
	"policies" text[] NOT NULL,
	"policy_version" integer NOT NULL,
	"request_id" text,
	CONSTRAINT "access_decision_known" CHECK ("access_decision"."decision" in ('allow', 'deny'))
);
--> statement-breakpoint
CREATE TABLE "access_policy_version" (
	"version" integer PRIMARY KEY NOT NULL,
	"files" jsonb NOT NULL,
	"note" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_team_member" (
	"patient_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"added_by" uuid,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "care_team_member_patient_id_user_id_pk" PRIMARY KEY("patient_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "consent_directive" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"user_id" uuid,
	"label" text,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "consent_directive_shape" CHECK (("consent_directive"."kind" = 'exclude_staff' and "consent_directive"."user_id" is not null and "consent_directive"."label" is null)
        or ("consent_directive"."kind" = 'withhold_label' and "consent_directive"."label" is not null and "consent_directive"."user_id" is null))
);
--> statement-breakpoint
CREATE TABLE "emergency_access" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"review_note" text
);
--> statement-breakpoint
ALTER TABLE "access_policy_version" ADD CONSTRAINT "access_policy_version_created_by_staff_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_team_member" ADD CONSTRAINT "care_team_member_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_team_member" ADD CONSTRAINT "care_team_member_user_id_staff_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_team_member" ADD CONSTRAINT "care_team_member_added_by_staff_user_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_directive" ADD CONSTRAINT "consent_directive_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_directive" ADD CONSTRAINT "consent_directive_user_id_staff_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_directive" ADD CONSTRAINT "consent_directive_recorded_by_staff_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_access" ADD CONSTRAINT "emergency_access_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_access" ADD CONSTRAINT "emergency_access_user_id_staff_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_access" ADD CONSTRAINT "emergency_access_reviewed_by_staff_user_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_decision_patient_idx" ON "access_decision" USING btree ("patient_id","decided_at");--> statement-breakpoint
CREATE INDEX "access_decision_principal_idx" ON "access_decision" USING btree ("principal_id","decided_at");--> statement-breakpoint
CREATE INDEX "care_team_member_user_idx" ON "care_team_member" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "consent_directive_patient_idx" ON "consent_directive" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "emergency_access_patient_idx" ON "emergency_access" USING btree ("patient_id","expires_at");--> statement-breakpoint
CREATE INDEX "emergency_access_review_idx" ON "emergency_access" USING btree ("reviewed_at","started_at");