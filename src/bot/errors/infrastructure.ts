/**
 * A failure of shared infrastructure (the session store or the per-chat lock) rather than of the
 * update itself. The update must then be handed back to Telegram (webhook 503, polling offset kept) so
 * it is delivered again once the infrastructure is back, instead of being answered and forgotten.
 */
export class InfrastructureError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InfrastructureError';
  }
}

export function isInfrastructureError(err: unknown): err is InfrastructureError {
  return err instanceof InfrastructureError;
}
