-- Sign-in throttling shared by every process (the embedded backend keeps it in memory).
-- Up Migration
CREATE TABLE sign_in_attempts (
  -- 'user:<name>' or 'ip:<address>'
  key text PRIMARY KEY,
  failures integer NOT NULL,
  -- Epoch milliseconds: refused until then; the last failure.
  locked_until bigint NOT NULL,
  last_failure bigint NOT NULL
);
CREATE INDEX sign_in_attempts_last_failure ON sign_in_attempts (last_failure);

-- Down Migration
DROP TABLE sign_in_attempts;
