CREATE TYPE "public"."entry_event_kind" AS ENUM('joined', 'commitment_changed', 'reopened', 'shortlisted', 'rejected', 'undone', 'result_published', 'withdrawn', 'stock_ready', 'stock_cannot', 'stock_reported', 'stock_asked', 'alerted', 'swapped_out', 'swapped_in');--> statement-breakpoint
CREATE TYPE "public"."result_outcome" AS ENUM('shortlisted', 'not_selected', 'withdrawn');--> statement-breakpoint
CREATE TABLE "campaign_team" (
	"campaign_id" integer NOT NULL,
	"user_id" bigint NOT NULL,
	"added_by" bigint NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_team_campaign_id_user_id_pk" PRIMARY KEY("campaign_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "submission_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "submission_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"submission_id" integer NOT NULL,
	"kind" "entry_event_kind" NOT NULL,
	"actor_id" bigint,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "submission_results" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "submission_results_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"submission_id" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"version" integer NOT NULL,
	"outcome" "result_outcome" NOT NULL,
	"reason" text,
	"committed_quantity" numeric(16, 3) NOT NULL,
	"published_by" bigint NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"notified" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
ALTER TABLE "businesses" ADD COLUMN "contact_name" text;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "reopened" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "withdrawn_reason" text;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "shortfall_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_team" ADD CONSTRAINT "campaign_team_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_team" ADD CONSTRAINT "campaign_team_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_events" ADD CONSTRAINT "submission_events_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_results" ADD CONSTRAINT "submission_results_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_results" ADD CONSTRAINT "submission_results_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_team_user_idx" ON "campaign_team" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "submission_events_submission_idx" ON "submission_events" USING btree ("submission_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "submission_results_version_uq" ON "submission_results" USING btree ("submission_id","version");--> statement-breakpoint
CREATE INDEX "submission_results_campaign_idx" ON "submission_results" USING btree ("campaign_id");--> statement-breakpoint
-- Backfill, losing no row: every campaign's creator is its team; every published campaign's entries
-- get result version 1, as the results already sent told them (late entrants got none and wait); each entry's history starts with its join.
INSERT INTO "campaign_team" ("campaign_id", "user_id", "added_by", "added_at")
  SELECT "id", "created_by", "created_by", "created_at" FROM "campaigns" ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "submission_results" ("submission_id", "campaign_id", "version", "outcome", "reason", "committed_quantity", "published_by", "published_at", "notified")
  SELECT s."id", s."campaign_id", 1,
         (CASE s."status" WHEN 'shortlisted' THEN 'shortlisted' WHEN 'withdrawn' THEN 'withdrawn' ELSE 'not_selected' END)::"result_outcome",
         s."reason", s."committed_quantity", c."created_by", c."results_published_at", s."status" <> 'withdrawn'
  FROM "submissions" s JOIN "campaigns" c ON c."id" = s."campaign_id"
  WHERE c."results_published_at" IS NOT NULL AND s."created_at" <= c."results_published_at";--> statement-breakpoint
INSERT INTO "submission_events" ("submission_id", "kind", "details", "at")
  SELECT "id", 'joined', jsonb_build_object('committed', "committed_quantity"), "created_at" FROM "submissions";
