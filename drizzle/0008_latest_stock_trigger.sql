-- Keeps latest_stock in step with the append-only ledger: the newest (reported_at, id) wins, also when
-- two reports for one product are inserted at the same moment.
CREATE FUNCTION stock_reports_track_latest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO latest_stock (product_id, quantity, reported_at, report_id)
  VALUES (NEW.product_id, NEW.quantity, NEW.reported_at, NEW.id)
  ON CONFLICT (product_id) DO UPDATE
    SET quantity = EXCLUDED.quantity, reported_at = EXCLUDED.reported_at, report_id = EXCLUDED.report_id
    WHERE (latest_stock.reported_at, latest_stock.report_id) < (EXCLUDED.reported_at, EXCLUDED.report_id);
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER stock_reports_latest AFTER INSERT ON stock_reports
  FOR EACH ROW EXECUTE FUNCTION stock_reports_track_latest();--> statement-breakpoint
INSERT INTO latest_stock (product_id, quantity, reported_at, report_id)
SELECT DISTINCT ON (product_id) product_id, quantity, reported_at, id
FROM stock_reports ORDER BY product_id, reported_at DESC, id DESC
ON CONFLICT (product_id) DO NOTHING;
