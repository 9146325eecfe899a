ALTER TABLE "products" ADD COLUMN "request_key" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "request_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "products_request_key_uq" ON "products" USING btree ("request_key");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_request_key_uq" ON "campaigns" USING btree ("request_key");