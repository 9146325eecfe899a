-- The stock ledger is evidence: rows are only ever added. A correction is a new report.
CREATE FUNCTION stock_reports_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock_reports is append-only: % is not allowed', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;--> statement-breakpoint
CREATE TRIGGER stock_reports_no_update_or_delete
  BEFORE UPDATE OR DELETE ON stock_reports
  FOR EACH ROW EXECUTE FUNCTION stock_reports_append_only();
