ALTER TABLE "appointment" ADD COLUMN "sequence" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "consult_invitation" ADD COLUMN "companion_email" text;--> statement-breakpoint
ALTER TABLE "outbox_message" ADD COLUMN "attachments" text;