CREATE TYPE "public"."group_link_status" AS ENUM('active', 'ended');--> statement-breakpoint
ALTER TYPE "public"."delivery_kind" ADD VALUE 'digest';--> statement-breakpoint
ALTER TYPE "public"."delivery_kind" ADD VALUE 'group_notice';--> statement-breakpoint
CREATE TABLE "group_links" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "group_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"chat_id" bigint NOT NULL,
	"chat_title" text NOT NULL,
	"campaign_id" integer NOT NULL,
	"linked_by" bigint NOT NULL,
	"time_zone" text NOT NULL,
	"language" "language" NOT NULL,
	"status" "group_link_status" DEFAULT 'active' NOT NULL,
	"ended_reason" text,
	"ended_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "private_alert_opt_outs" (
	"user_id" bigint NOT NULL,
	"campaign_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "private_alert_opt_outs_user_id_campaign_id_pk" PRIMARY KEY("user_id","campaign_id")
);
--> statement-breakpoint
ALTER TABLE "deliveries" ALTER COLUMN "recipient_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "group_link_id" integer;--> statement-breakpoint
ALTER TABLE "group_links" ADD CONSTRAINT "group_links_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_links" ADD CONSTRAINT "group_links_linked_by_users_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_links" ADD CONSTRAINT "group_links_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "private_alert_opt_outs" ADD CONSTRAINT "private_alert_opt_outs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "private_alert_opt_outs" ADD CONSTRAINT "private_alert_opt_outs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "group_links_active_uq" ON "group_links" USING btree ("chat_id","campaign_id") WHERE "group_links"."status" = 'active';--> statement-breakpoint
CREATE INDEX "group_links_campaign_idx" ON "group_links" USING btree ("campaign_id","status");--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_group_link_id_group_links_id_fk" FOREIGN KEY ("group_link_id") REFERENCES "public"."group_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_one_recipient" CHECK (("deliveries"."recipient_id" is null) <> ("deliveries"."group_link_id" is null));