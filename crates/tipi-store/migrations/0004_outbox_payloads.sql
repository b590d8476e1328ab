-- An outbox entry's bytes (megabytes for a batch of thousands of claims) live apart from its
-- row. SQLite rewrites a whole row on every update, and with SQLCipher every page of it is
-- encrypted and authenticated again: each state change of a batch (sending, sent, returns
-- received) rewrote its whole payload. Now a state change writes a few bytes.
CREATE TABLE outbox_payloads (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id),
    payload   BLOB NOT NULL
) STRICT;
INSERT INTO outbox_payloads (outbox_id, payload) SELECT id, payload FROM outbox;
ALTER TABLE outbox DROP COLUMN payload;
