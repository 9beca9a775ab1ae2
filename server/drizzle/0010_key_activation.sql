ALTER TABLE "data_key" ADD COLUMN "active_from" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Keys that existed before activation times were recorded have been in use since they were made.
UPDATE "data_key" SET "active_from" = "created_at";
