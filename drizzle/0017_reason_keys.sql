CREATE TYPE "public"."reason_key" AS ENUM('reject_stock', 'reject_quality', 'reject_certification', 'reject_quota', 'exporter_stock', 'exporter_production', 'exporter_schedule');--> statement-breakpoint
ALTER TABLE "submission_results" ADD COLUMN "reason_key" "reason_key";--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "reason_key" "reason_key";--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "withdrawn_reason_key" "reason_key";--> statement-breakpoint
-- Data: reasons picked from a list before keys existed were stored as their words, in the chooser's
-- language (src/locales/id.ts and en.ts: review.reason* for rejections, submit.reason* for withdrawals
-- and "cannot supply"). Words that match a listed reason exactly (trimmed, case-insensitive) get its
-- key; the words stay where they are (no row or text is lost) and typed reasons keep no key.
-- The two lists share "Not enough stock" in English, so each column is matched against its own list.
CREATE TEMPORARY TABLE "reason_words" ("list" text NOT NULL, "key" "reason_key" NOT NULL, "words" text NOT NULL);--> statement-breakpoint
INSERT INTO "reason_words" ("list", "key", "words") VALUES
	('reject', 'reject_stock', 'Stok tidak mencukupi'),
	('reject', 'reject_stock', 'Not enough stock'),
	('reject', 'reject_quality', 'Belum memenuhi standar pasar'),
	('reject', 'reject_quality', 'Doesn''t meet the market''s standards yet'),
	('reject', 'reject_certification', 'Sertifikasi belum lengkap'),
	('reject', 'reject_certification', 'Certifications incomplete'),
	('reject', 'reject_quota', 'Kuota kampanye sudah penuh'),
	('reject', 'reject_quota', 'The campaign''s quota is full'),
	('exporter', 'exporter_stock', 'Stok tidak cukup'),
	('exporter', 'exporter_stock', 'Not enough stock'),
	('exporter', 'exporter_production', 'Produksi terganggu'),
	('exporter', 'exporter_production', 'Production disrupted'),
	('exporter', 'exporter_schedule', 'Tidak bisa memenuhi jadwal'),
	('exporter', 'exporter_schedule', 'Cannot meet the schedule');--> statement-breakpoint
UPDATE "submissions" SET "reason_key" = w."key" FROM "reason_words" w
	WHERE w."list" = 'reject' AND "submissions"."reason_key" IS NULL AND lower(btrim("submissions"."reason")) = lower(w."words");--> statement-breakpoint
UPDATE "submissions" SET "withdrawn_reason_key" = w."key" FROM "reason_words" w
	WHERE w."list" = 'exporter' AND "submissions"."withdrawn_reason_key" IS NULL AND lower(btrim("submissions"."withdrawn_reason")) = lower(w."words");--> statement-breakpoint
UPDATE "submission_results" SET "reason_key" = w."key" FROM "reason_words" w
	WHERE w."list" = CASE "submission_results"."outcome" WHEN 'not_selected' THEN 'reject' WHEN 'withdrawn' THEN 'exporter' END
	AND "submission_results"."reason_key" IS NULL AND lower(btrim("submission_results"."reason")) = lower(w."words");--> statement-breakpoint
UPDATE "submission_events" SET "details" = "submission_events"."details" || jsonb_build_object('reasonKey', w."key") FROM "reason_words" w
	WHERE w."list" = CASE WHEN "submission_events"."kind" IN ('rejected', 'swapped_out') THEN 'reject' WHEN "submission_events"."kind" IN ('withdrawn', 'stock_cannot') THEN 'exporter' END
	AND NOT ("submission_events"."details" ? 'reasonKey') AND lower(btrim("submission_events"."details"->>'reason')) = lower(w."words");--> statement-breakpoint
UPDATE "deliveries" SET "payload" = "deliveries"."payload" || jsonb_build_object('reasonKey', w."key") FROM "reason_words" w
	WHERE w."list" = 'exporter' AND "deliveries"."kind" = 'alert' AND "deliveries"."payload"->>'alert' = 'withdrawn'
	AND NOT ("deliveries"."payload" ? 'reasonKey') AND lower(btrim("deliveries"."payload"->>'reason')) = lower(w."words");--> statement-breakpoint
DROP TABLE "reason_words";
