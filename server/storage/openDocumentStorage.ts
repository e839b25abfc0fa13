import { randomBytes } from 'node:crypto'
import os from 'node:os'
import type pg from 'pg'
import type { DocumentStorage } from '../collab/storage'
import { DEFAULT_LEASE_MS, type HuigaoConfig } from '../config'
import { PgDocumentStore } from '../postgres/PgDocumentStore'
import { DocumentStore } from './DocumentStore'

/** This process in lease rows when HUIGAO_INSTANCE does not name it: unique even for two servers in one process. */
export const defaultInstanceId = () => `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`

/**
 * The document storage of this process: PostgreSQL when the repositories opened a pool on
 * DATABASE_URL (documents owned by one process at a time, under leases), else DATA_DIR's files
 * (owned by the process holding the DATA_DIR lock).
 */
export function openDocumentStorage(config: HuigaoConfig, pool: pg.Pool | undefined): DocumentStorage {
  const common = {
    flushIntervalMs: config.flushIntervalMs,
    compactAfterBytes: config.compactAfterBytes,
    onError: (error: unknown, id: string) => console.error(`[store] ${id}: ${(error as Error).message}`),
  }
  if (!pool) return new DocumentStore(config.dataDir, common)
  return new PgDocumentStore(pool, { ...common, owner: config.instanceId ?? defaultInstanceId(), leaseMs: config.leaseMs ?? DEFAULT_LEASE_MS })
}
