-- Document content and leases (the embedded backend's DATA_DIR/documents/<id>.state and <id>.log,
-- and its DATA_DIR lock). No foreign key to documents: content is written before the catalog entry
-- (a catalog entry must never point at content that was not written), and deleted with it.
-- Up Migration

-- The compacted state: splitUpdate's chunks (each a Yjs update of at most 32 kB, in causal order).
CREATE TABLE document_states (
  document_id text PRIMARY KEY,
  -- Every update up to this sequence number is folded into `chunks`.
  through_seq bigint NOT NULL,
  chunks bytea[] NOT NULL,
  bytes integer NOT NULL,
  compacted_at timestamptz NOT NULL DEFAULT now()
);

-- Updates since the compacted state, one row per Yjs update, numbered by the owner that wrote them
-- (one multi-row INSERT per group commit). `epoch` is the lease they were written under.
CREATE TABLE document_updates (
  document_id text NOT NULL,
  seq bigint NOT NULL,
  epoch bigint NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (document_id, seq)
);

-- One row per document some process has loaded: who may write it, until when. A write is refused
-- unless it carries the row's current epoch (fencing); taking over an expired lease draws a new epoch
-- from one sequence, so no epoch is ever handed out twice, even after a lease row is deleted.
CREATE SEQUENCE document_lease_epochs;
CREATE TABLE document_leases (
  document_id text PRIMARY KEY,
  owner text NOT NULL,
  epoch bigint NOT NULL,
  expires_at timestamptz NOT NULL,
  renewed_at timestamptz NOT NULL
);
CREATE INDEX document_leases_owner ON document_leases (owner);

-- Down Migration
DROP TABLE document_leases;
DROP SEQUENCE document_lease_epochs;
DROP TABLE document_updates;
DROP TABLE document_states;
