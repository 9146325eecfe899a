import type { Db } from '../db/client.js';
import { exporterStanding, type ExporterStanding } from '../db/queries/standing.js';

export type { ExporterStanding };

/** /start's one query for an exporter: business, active products and the next open campaign's deadline. */
export function getExporterStanding(db: Db, ownerId: bigint, now: Date): Promise<ExporterStanding> {
  return exporterStanding(db, ownerId, now);
}
