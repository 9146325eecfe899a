ALTER TYPE "public"."stock_source" ADD VALUE 'sheet';--> statement-breakpoint
CREATE TABLE "stock_sheets" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_sheets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"reporter_id" bigint NOT NULL,
	"message_ref" text NOT NULL,
	"file_unique_id" text NOT NULL,
	"sha256" text NOT NULL,
	"file_name" text NOT NULL,
	"rows" integer NOT NULL,
	"saved" integer NOT NULL,
	"refused" integer NOT NULL,
	"held" integer NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "held_stock_reports" ADD COLUMN "corrects_id" bigint;--> statement-breakpoint
ALTER TABLE "stock_sheets" ADD CONSTRAINT "stock_sheets_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "stock_sheets_message_ref_uq" ON "stock_sheets" USING btree ("message_ref");--> statement-breakpoint
CREATE INDEX "stock_sheets_reporter_sha_idx" ON "stock_sheets" USING btree ("reporter_id","sha256");--> statement-breakpoint
ALTER TABLE "held_stock_reports" ADD CONSTRAINT "held_stock_reports_corrects_id_stock_reports_id_fk" FOREIGN KEY ("corrects_id") REFERENCES "public"."stock_reports"("id") ON DELETE no action ON UPDATE no action;