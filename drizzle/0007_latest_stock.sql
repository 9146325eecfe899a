CREATE TABLE "latest_stock" (
	"product_id" integer PRIMARY KEY NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"report_id" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "latest_stock" ADD CONSTRAINT "latest_stock_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;