-- 提请提交 requests (the embedded backend's DATA_DIR/submission-requests.json).
-- Up Migration
CREATE TABLE submission_requests (
  id text PRIMARY KEY,
  -- Order of creation: newest first in lists.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  document_id text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  from_user_id text NOT NULL REFERENCES users (id),
  note text NOT NULL,
  created_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'answered', 'submitted', 'withdrawn')),
  -- { byUserId, text, at } once answered
  answer jsonb
);
CREATE INDEX submission_requests_document ON submission_requests (document_id, seq);
-- One open request per person and document, also when two processes take one at once.
CREATE UNIQUE INDEX submission_requests_one_open ON submission_requests (document_id, from_user_id) WHERE status = 'open';

-- Down Migration
DROP TABLE submission_requests;
