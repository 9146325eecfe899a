CREATE TYPE "public"."held_report_reason" AS ENUM('ambiguous', 'fall', 'rise', 'capacity');--> statement-breakpoint
CREATE TYPE "public"."held_report_status" AS ENUM('held', 'saved', 'discarded');--> statement-breakpoint
CREATE TABLE "held_stock_reports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "held_stock_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"reporter_id" bigint NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"alternative" numeric(16, 3),
	"unit_typed" text NOT NULL,
	"raw_text" text NOT NULL,
	"source" "stock_source" NOT NULL,
	"reasons" "held_report_reason"[] NOT NULL,
	"batch_ref" text NOT NULL,
	"source_ref" text NOT NULL,
	"status" "held_report_status" DEFAULT 'held' NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "stock_reports" ADD COLUMN "corrects_id" bigint;--> statement-breakpoint
ALTER TABLE "held_stock_reports" ADD CONSTRAINT "held_stock_reports_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "held_stock_reports" ADD CONSTRAINT "held_stock_reports_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "held_stock_reports_source_ref_uq" ON "held_stock_reports" USING btree ("source_ref");--> statement-breakpoint
CREATE INDEX "held_stock_reports_batch_idx" ON "held_stock_reports" USING btree ("batch_ref");--> statement-breakpoint
ALTER TABLE "stock_reports" ADD CONSTRAINT "stock_reports_corrects_fk" FOREIGN KEY ("corrects_id") REFERENCES "public"."stock_reports"("id") ON DELETE no action ON UPDATE no action;