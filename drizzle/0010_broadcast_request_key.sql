ALTER TABLE "broadcasts" ADD COLUMN "request_key" text;--> statement-breakpoint
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_request_key_uq" UNIQUE("request_key");