CREATE TYPE "public"."base_unit" AS ENUM('kg', 'ton', 'liter', 'pcs', 'carton');--> statement-breakpoint
CREATE TYPE "public"."product_category" AS ENUM('coffee', 'tea', 'cocoa', 'spices', 'fishery', 'processed_food', 'fashion', 'handicraft', 'furniture', 'cosmetics', 'other');--> statement-breakpoint
CREATE TYPE "public"."currency" AS ENUM('IDR', 'USD');--> statement-breakpoint
CREATE TABLE "businesses" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "businesses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"owner_id" bigint NOT NULL,
	"company_name" text NOT NULL,
	"nib" text NOT NULL,
	"province" text NOT NULL,
	"city" text NOT NULL,
	"phone" text NOT NULL,
	"email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "products_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"business_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"category" "product_category" NOT NULL,
	"hs_code" text,
	"base_unit" "base_unit" NOT NULL,
	"monthly_capacity" numeric(16, 3) NOT NULL,
	"min_order" numeric(16, 3),
	"price" numeric(18, 2),
	"currency" "currency",
	"certifications" text[] DEFAULT '{}'::text[] NOT NULL,
	"photo_file_id" text,
	"description" text NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_code_upper" CHECK ("products"."code" = upper("products"."code"))
);
--> statement-breakpoint
ALTER TABLE "businesses" ADD CONSTRAINT "businesses_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "businesses_owner_uq" ON "businesses" USING btree ("owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "businesses_nib_uq" ON "businesses" USING btree ("nib");--> statement-breakpoint
CREATE UNIQUE INDEX "products_code_uq" ON "products" USING btree ("code");--> statement-breakpoint
CREATE INDEX "products_business_idx" ON "products" USING btree ("business_id","archived_at");