/** Postgres error fields, found through drizzle's wrapper (`cause`) for both postgres.js and PGlite. */
export function pgError(err: unknown): { code: string; constraint?: string } | null {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      const c = e as { constraint_name?: string; constraint?: string };
      const constraint = c.constraint_name ?? c.constraint;
      return constraint ? { code, constraint } : { code };
    }
  }
  return null;
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = pgError(err);
  return e?.code === '23505' && (!constraint || e.constraint === constraint);
}
