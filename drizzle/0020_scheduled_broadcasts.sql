CREATE TYPE "public"."broadcast_status" AS ENUM('scheduled', 'started', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."broadcast_wave_status" AS ENUM('pending', 'released');--> statement-breakpoint
CREATE TABLE "broadcast_waves" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "broadcast_waves_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"broadcast_id" integer NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"recipients" integer NOT NULL,
	"status" "broadcast_wave_status" DEFAULT 'pending' NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "broadcasts" ADD COLUMN "status" "broadcast_status" DEFAULT 'started' NOT NULL;--> statement-breakpoint
ALTER TABLE "broadcasts" ADD COLUMN "scheduled_for" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "broadcasts" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "broadcasts" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "broadcasts" ADD COLUMN "cancelled_by" bigint;--> statement-breakpoint
ALTER TABLE "broadcast_waves" ADD CONSTRAINT "broadcast_waves_broadcast_id_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcasts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "broadcast_waves_due_idx" ON "broadcast_waves" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "broadcast_waves_broadcast_idx" ON "broadcast_waves" USING btree ("broadcast_id");--> statement-breakpoint
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Every broadcast before this release was sent when it was created.
UPDATE "broadcasts" SET "started_at" = "created_at" WHERE "started_at" IS NULL;
