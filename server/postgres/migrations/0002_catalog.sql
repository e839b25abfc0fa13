-- The document list and who may open what (the embedded backend's DATA_DIR/catalog.json).
-- Up Migration
CREATE TABLE documents (
  id text PRIMARY KEY,
  title text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  owner_id text NOT NULL REFERENCES users (id),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
  -- The submission while submitted (version id and name, when, by whom, override reason); null otherwise.
  submission jsonb,
  -- null: never chosen (the embedded catalog leaves the field out).
  require_verified_figures boolean
);
CREATE INDEX documents_owner_id ON documents (owner_id);

-- Everyone but the owner who may open a document, with their role.
CREATE TABLE document_members (
  document_id text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES users (id),
  role text NOT NULL CHECK (role IN ('drafter', 'reviewer', 'viewer')),
  PRIMARY KEY (document_id, user_id)
);
CREATE INDEX document_members_user_id ON document_members (user_id);

-- Facts about the installation, e.g. 'catalog-created': the first process to start creates the sample report.
CREATE TABLE installation (
  key text PRIMARY KEY,
  value text NOT NULL
);

-- Down Migration
DROP TABLE installation;
DROP TABLE document_members;
DROP TABLE documents;
