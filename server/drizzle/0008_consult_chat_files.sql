CREATE TABLE "consult_chat_item" (
	"id" uuid PRIMARY KEY NOT NULL,
	"appointment_id" uuid NOT NULL,
	"sender_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"text" text,
	"file_id" uuid,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "consult_chat_item_kind_known" CHECK ("consult_chat_item"."kind" in ('text', 'file')),
	CONSTRAINT "consult_chat_item_one_content" CHECK (("consult_chat_item"."kind" = 'text') = ("consult_chat_item"."text" is not null and "consult_chat_item"."file_id" is null))
);
--> statement-breakpoint
CREATE TABLE "consult_file" (
	"id" uuid PRIMARY KEY NOT NULL,
	"appointment_id" uuid NOT NULL,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"content" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "consult_room" ADD COLUMN "encounter_id" uuid;--> statement-breakpoint
ALTER TABLE "consult_room_participant" ADD COLUMN "verified_by" text;--> statement-breakpoint
-- Rows from before: each person counts as verified the weakest way their kind of session allows.
UPDATE "consult_room_participant" SET "verified_by" = CASE WHEN "staff_user_id" IS NULL THEN 'link' ELSE 'staff_password' END;--> statement-breakpoint
ALTER TABLE "consult_room_participant" ALTER COLUMN "verified_by" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "participant_session" ADD COLUMN "verified_by" text DEFAULT 'link' NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_session" ADD COLUMN "verified_by" text DEFAULT 'staff_password' NOT NULL;--> statement-breakpoint
ALTER TABLE "consult_chat_item" ADD CONSTRAINT "consult_chat_item_appointment_id_consult_room_appointment_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."consult_room"("appointment_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consult_chat_item" ADD CONSTRAINT "consult_chat_item_sender_id_consult_room_participant_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."consult_room_participant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consult_chat_item" ADD CONSTRAINT "consult_chat_item_file_id_consult_file_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."consult_file"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consult_file" ADD CONSTRAINT "consult_file_appointment_id_consult_room_appointment_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."consult_room"("appointment_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consult_chat_item_appointment_idx" ON "consult_chat_item" USING btree ("appointment_id","sent_at");--> statement-breakpoint
CREATE INDEX "consult_file_appointment_idx" ON "consult_file" USING btree ("appointment_id");