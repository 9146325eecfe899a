ALTER TABLE "submissions" ADD COLUMN "review_rank" smallint DEFAULT 24 NOT NULL;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "review_reported_at" timestamp with time zone;--> statement-breakpoint
-- Issue 19 item 1: the review order's part that does not change with the clock, kept on the entry so
-- that a page of /tinjau is a few index range scans instead of a sort of the whole campaign. The rule
-- is domain/review-order.ts (`storedRankOf`); this is the same rule in SQL, and the only writer of it:
-- status rank (shortlisted 0, submitted 1, rejected 2) × 8, + 4 when the latest stock does not cover
-- the commitment (or there is none), + 2 when uncertified, + 1 when capacity does not cover it;
-- withdrawn is 24, past every page's range.
CREATE FUNCTION review_rank_of(status submission_status, committed numeric, quantity numeric, capacity numeric, certifications text[])
RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
  SELECT (CASE status WHEN 'withdrawn' THEN 24 ELSE
    (CASE status WHEN 'shortlisted' THEN 0 WHEN 'submitted' THEN 1 ELSE 2 END) * 8
    + (CASE WHEN quantity >= committed THEN 0 ELSE 4 END)
    + (CASE WHEN cardinality(certifications) > 0 THEN 0 ELSE 2 END)
    + (CASE WHEN capacity >= committed THEN 0 ELSE 1 END)
  END)::smallint
$$;--> statement-breakpoint
-- The one place the key is worked out: before any insert of an entry, and before any update that
-- names a column it depends on or the key itself. Triggers, not explicit updates in the query
-- functions, so that every path that writes (the ledger's trigger, a bench's bulk insert, a fix by
-- hand in psql) keeps it true in its own transaction: nobody can forget it.
CREATE FUNCTION submissions_review_rank() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT review_rank_of(NEW.status, NEW.committed_quantity, ls.quantity, p.monthly_capacity, p.certifications), ls.reported_at
    INTO NEW.review_rank, NEW.review_reported_at
    FROM products p LEFT JOIN latest_stock ls ON ls.product_id = p.id
    WHERE p.id = NEW.product_id;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER submissions_review_rank BEFORE INSERT OR UPDATE OF status, committed_quantity, product_id, review_rank, review_reported_at ON submissions
  FOR EACH ROW EXECUTE FUNCTION submissions_review_rank();--> statement-breakpoint
-- A stock report moves latest_stock (its own trigger, per statement): the product's entries are
-- touched once per statement, and the trigger above works their key out again.
CREATE FUNCTION latest_stock_touch_submissions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE submissions s SET review_reported_at = n.reported_at FROM moved_stock n WHERE s.product_id = n.product_id;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER latest_stock_review_insert AFTER INSERT ON latest_stock
  REFERENCING NEW TABLE AS moved_stock
  FOR EACH STATEMENT EXECUTE FUNCTION latest_stock_touch_submissions();--> statement-breakpoint
CREATE TRIGGER latest_stock_review_update AFTER UPDATE ON latest_stock
  REFERENCING NEW TABLE AS moved_stock
  FOR EACH STATEMENT EXECUTE FUNCTION latest_stock_touch_submissions();--> statement-breakpoint
-- A product's capacity or certifications edit changes two of the bits of each of its entries.
CREATE FUNCTION products_touch_submissions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE submissions SET review_rank = review_rank WHERE product_id = NEW.id;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER products_review_rank AFTER UPDATE OF monthly_capacity, certifications ON products
  FOR EACH ROW WHEN (OLD.monthly_capacity IS DISTINCT FROM NEW.monthly_capacity OR OLD.certifications IS DISTINCT FROM NEW.certifications)
  EXECUTE FUNCTION products_touch_submissions();--> statement-breakpoint
-- Backfill: every existing entry, through the same trigger (no row is added or removed).
UPDATE submissions SET review_rank = review_rank;--> statement-breakpoint
CREATE INDEX "submissions_review_idx" ON "submissions" USING btree ("campaign_id","review_rank","id","review_reported_at");
