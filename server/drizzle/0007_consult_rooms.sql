CREATE TABLE "consult_room" (
	"appointment_id" uuid PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "consult_room_status_known" CHECK ("consult_room"."status" in ('waiting', 'open', 'locked', 'ended'))
);
--> statement-breakpoint
CREATE TABLE "consult_room_participant" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"appointment_id" uuid NOT NULL,
	"role" text NOT NULL,
	"staff_user_id" uuid,
	"participant_session_id" text,
	"state" text NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"admitted_at" timestamp with time zone,
	"left_at" timestamp with time zone,
	"connection_id" text,
	CONSTRAINT "consult_room_participant_role_known" CHECK ("consult_room_participant"."role" in ('clinician', 'staff', 'patient', 'companion')),
	CONSTRAINT "consult_room_participant_state_known" CHECK ("consult_room_participant"."state" in ('waiting', 'admitted', 'removed', 'left')),
	CONSTRAINT "consult_room_participant_one_identity" CHECK (("consult_room_participant"."staff_user_id" is null) <> ("consult_room_participant"."participant_session_id" is null))
);
--> statement-breakpoint
ALTER TABLE "consult_room" ADD CONSTRAINT "consult_room_appointment_id_appointment_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consult_room_participant" ADD CONSTRAINT "consult_room_participant_appointment_id_consult_room_appointment_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."consult_room"("appointment_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consult_room_participant" ADD CONSTRAINT "consult_room_participant_staff_user_id_staff_user_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consult_room_participant" ADD CONSTRAINT "consult_room_participant_participant_session_id_participant_session_id_fk" FOREIGN KEY ("participant_session_id") REFERENCES "public"."participant_session"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consult_room_participant_staff_idx" ON "consult_room_participant" USING btree ("appointment_id","staff_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "consult_room_participant_session_idx" ON "consult_room_participant" USING btree ("appointment_id","participant_session_id");