// The lease rows of document_leases (migration 0100): one owner per loaded document. All times are
// the database's clock (now()), so processes on several machines need not agree on theirs.
import type pg from 'pg'
import { DocumentOwnedElsewhere } from '../collab/storage'

type Queryable = Pick<pg.Pool, 'query'>

/**
 * Takes a document's lease for `owner`: a new row, or the row of an expired lease (or one this same
 * owner held before), with a fresh epoch from the sequence. Throws DocumentOwnedElsewhere when
 * another owner's lease is still running.
 */
export async function takeLease(db: Queryable, documentId: string, owner: string, leaseMs: number): Promise<number> {
  const taken = await db.query<{ epoch: number }>(
    `INSERT INTO document_leases (document_id, owner, epoch, expires_at, renewed_at)
     VALUES ($1, $2, nextval('document_lease_epochs'), now() + $3 * interval '1 millisecond', now())
     ON CONFLICT (document_id) DO UPDATE
       SET owner = EXCLUDED.owner, epoch = EXCLUDED.epoch, expires_at = EXCLUDED.expires_at, renewed_at = EXCLUDED.renewed_at
       WHERE document_leases.expires_at <= now() OR document_leases.owner = EXCLUDED.owner
     RETURNING epoch`,
    [documentId, owner, leaseMs],
  )
  if (taken.rows.length === 1) return Number(taken.rows[0].epoch)
  const held = await db.query<{ owner: string; expires_at: Date }>('SELECT owner, expires_at FROM document_leases WHERE document_id = $1', [documentId])
  const row = held.rows[0]
  throw new DocumentOwnedElsewhere(documentId, row?.owner ?? 'another process', row?.expires_at ?? new Date())
}

/**
 * Extends the leases this process holds, in one statement; returns the ids of those still held with
 * the same epoch. A lease missing from the answer was taken over (or given back): its document must
 * be let go. A lease that ran out but that nobody took is extended too: a process whose renewal came
 * late (its event loop overloaded past LEASE_MS) keeps its documents, rather than closing every
 * socket of every document it serves at the worst moment, with nobody else to take them. Whoever
 * takes a lease gets a new epoch, and so does a lease given back (releaseLease): a renewal still in
 * flight then matches no row and cannot hold the document again.
 */
export async function renewLeases(db: Queryable, held: ReadonlyMap<string, number>, leaseMs: number): Promise<Set<string>> {
  if (held.size === 0) return new Set()
  const renewed = await db.query<{ document_id: string }>(
    `UPDATE document_leases AS l SET expires_at = now() + $3 * interval '1 millisecond', renewed_at = now()
     FROM unnest($1::text[], $2::bigint[]) AS h(document_id, epoch)
     WHERE l.document_id = h.document_id AND l.epoch = h.epoch
     RETURNING l.document_id`,
    [[...held.keys()], [...held.values()], leaseMs],
  )
  return new Set(renewed.rows.map((row) => row.document_id))
}

/**
 * Gives a lease back (unload, shutdown): it expires now, so the next process may take it at once, and
 * its epoch moves on, so that a renewal already sent (on another pool connection) matches nothing.
 */
export async function releaseLease(db: Queryable, documentId: string, epoch: number): Promise<void> {
  await db.query("UPDATE document_leases SET expires_at = now(), epoch = nextval('document_lease_epochs') WHERE document_id = $1 AND epoch = $2", [documentId, epoch])
}

/**
 * The current owner of a document, if its lease is running (for routing a connection that reached
 * the wrong process); null when nobody holds it.
 */
export async function leaseHolder(db: Queryable, documentId: string): Promise<{ owner: string; epoch: number; expiresAt: Date } | null> {
  const result = await db.query<{ owner: string; epoch: number; expires_at: Date }>(
    'SELECT owner, epoch, expires_at FROM document_leases WHERE document_id = $1 AND expires_at > now()',
    [documentId],
  )
  const row = result.rows[0]
  return row ? { owner: row.owner, epoch: Number(row.epoch), expiresAt: row.expires_at } : null
}

/**
 * The lock every write takes on its lease row, inside the writing statement or transaction: FOR
 * SHARE, so that writes of the owner do not block each other while a takeover (an UPDATE of the row)
 * waits for them and every write after it sees the new epoch and is refused.
 */
export const LEASE_CHECK = 'SELECT 1 FROM document_leases WHERE document_id = $1 AND epoch = $2 FOR SHARE'
