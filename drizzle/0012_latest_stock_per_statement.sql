-- latest_stock is now kept once per INSERT statement instead of once per row: a multi-row report (a
-- batch message, or the one-line reports of many chats merged into one statement) runs one upsert over
-- the statement's new rows, not one plpgsql call per row. The newest (reported_at, id) per product wins,
-- within the statement (DISTINCT ON) and against concurrent statements (the WHERE on the update).
CREATE FUNCTION stock_reports_track_latest_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO latest_stock (product_id, quantity, reported_at, report_id)
  SELECT DISTINCT ON (product_id) product_id, quantity, reported_at, id
  FROM new_reports
  ORDER BY product_id, reported_at DESC, id DESC
  ON CONFLICT (product_id) DO UPDATE
    SET quantity = EXCLUDED.quantity, reported_at = EXCLUDED.reported_at, report_id = EXCLUDED.report_id
    WHERE (latest_stock.reported_at, latest_stock.report_id) < (EXCLUDED.reported_at, EXCLUDED.report_id);
  RETURN NULL;
END;
$$;--> statement-breakpoint
DROP TRIGGER stock_reports_latest ON stock_reports;--> statement-breakpoint
DROP FUNCTION stock_reports_track_latest();--> statement-breakpoint
CREATE TRIGGER stock_reports_latest AFTER INSERT ON stock_reports
  REFERENCING NEW TABLE AS new_reports
  FOR EACH STATEMENT EXECUTE FUNCTION stock_reports_track_latest_rows();
