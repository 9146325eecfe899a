CREATE TYPE "public"."stock_source" AS ENUM('guided', 'line', 'batch', 'confirm');--> statement-breakpoint
CREATE TABLE "stock_reports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"unit_typed" text NOT NULL,
	"raw_text" text NOT NULL,
	"reporter_id" bigint NOT NULL,
	"source" "stock_source" NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stock_reports" ADD CONSTRAINT "stock_reports_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reports" ADD CONSTRAINT "stock_reports_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stock_reports_product_latest_idx" ON "stock_reports" USING btree ("product_id","reported_at" DESC NULLS LAST,"id" DESC NULLS LAST);