-- Each person's notifications (the embedded backend's DATA_DIR/notifications.json).
-- Up Migration
CREATE TABLE notifications (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  -- No foreign key: comment authors from Word files (word:<name>) are recipients without an account.
  user_id text NOT NULL,
  kind text NOT NULL,
  document_id text NOT NULL,
  document_title text NOT NULL,
  actor_name text NOT NULL,
  text text NOT NULL,
  section_label text,
  created_at timestamptz NOT NULL,
  read boolean NOT NULL DEFAULT false
);
CREATE INDEX notifications_user ON notifications (user_id, seq);

-- Down Migration
DROP TABLE notifications;
