-- Saved versions (版本) of documents (the embedded backend's documents/<id>.versions.json).
-- Up Migration
CREATE TABLE document_versions (
  document_id text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  id text NOT NULL,
  -- Order of saving: the embedded file's array order.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('named', 'auto', 'submission', 'backup')),
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  -- ProseMirror JSON; json (not jsonb) keeps the text exactly as saved.
  doc json NOT NULL,
  PRIMARY KEY (document_id, id)
);
CREATE INDEX document_versions_order ON document_versions (document_id, seq);

-- Down Migration
DROP TABLE document_versions;
