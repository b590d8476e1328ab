-- Tipi's local database, schema 1.
-- Rules: instants are UTC text (RFC 3339), dates are 'YYYY-MM-DD', money is decimal TEXT (never
-- REAL). No secret is ever stored here; NAMs appear only in `claims`.

-- Facts about the file itself (its environment, when the calendar cache was refreshed...).
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- The agency. One row. Never the password, only the date it was set.
CREATE TABLE profile (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    environment         TEXT NOT NULL CHECK (environment IN ('sandbox', 'production')),
    tipi_id             TEXT NOT NULL,
    transmission_number TEXT NOT NULL,
    professional_number TEXT,
    developer_number    TEXT NOT NULL,
    software_name       TEXT NOT NULL,
    software_version    TEXT NOT NULL,
    password_set_on     TEXT,
    production_since    TEXT,
    updated_at          TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE claims (
    id           INTEGER PRIMARY KEY,
    external_id  TEXT NOT NULL UNIQUE,
    state        TEXT NOT NULL CHECK (state IN
                   ('draft', 'ready', 'queued', 'sent', 'receivable', 'refused', 'paid')),
    professional TEXT NOT NULL,
    place        TEXT NOT NULL,
    remuneration TEXT NOT NULL,
    clientele    TEXT NOT NULL,
    late_allowed INTEGER NOT NULL CHECK (late_allowed IN (0, 1)),
    nam          TEXT,
    surname      TEXT NOT NULL,
    first_name   TEXT NOT NULL,
    birth_date   TEXT,
    sex          TEXT,
    no_fact_ramq TEXT,
    jeton_comm   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    -- A patient has a NAM, or a birth date and sex instead.
    CHECK ((nam IS NULL) = (birth_date IS NOT NULL AND sex IS NOT NULL))
) STRICT;
CREATE INDEX claims_by_state ON claims (state, updated_at);
CREATE INDEX claims_by_nam ON claims (nam);

CREATE TABLE claim_lines (
    claim_id     INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    line_no      INTEGER NOT NULL,
    billing_code TEXT NOT NULL,
    service_date TEXT NOT NULL,
    role         TEXT NOT NULL,
    units        INTEGER NOT NULL CHECK (units >= 0),
    amount       TEXT NOT NULL,
    PRIMARY KEY (claim_id, line_no)
) STRICT;
CREATE INDEX claim_lines_by_service_date ON claim_lines (service_date, claim_id);

-- What happened to each claim, in order. Notes never hold a NAM or a name.
CREATE TABLE claim_events (
    id         INTEGER PRIMARY KEY,
    claim_id   INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT,
    outbox_id  INTEGER REFERENCES outbox (id),
    note       TEXT
) STRICT;
CREATE INDEX claim_events_by_claim ON claim_events (claim_id, id);

-- The next numéro d'attestation: only ever increases, even when a batch is discarded.
CREATE TABLE attestation_counter (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    next INTEGER NOT NULL CHECK (next >= 1)
) STRICT;
INSERT INTO attestation_counter (id, next) VALUES (1, 1);

-- The outbox: every batch and direct request, persisted with its exact bytes before it is sent.
CREATE TABLE outbox (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('batch', 'direct')),
    attestation_number INTEGER UNIQUE,
    no_dem_ext         INTEGER UNIQUE,
    payload            BLOB NOT NULL,
    state              TEXT NOT NULL CHECK (state IN
                         ('queued', 'sending', 'sent', 'returns_received', 'failed', 'rejected')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    sent_at            TEXT,
    outcome_code       TEXT,
    CHECK ((kind = 'batch') = (attestation_number IS NOT NULL)),
    CHECK ((kind = 'direct') = (no_dem_ext IS NOT NULL))
) STRICT;
CREATE INDEX outbox_by_state ON outbox (state, id);

CREATE TABLE outbox_claims (
    outbox_id INTEGER NOT NULL REFERENCES outbox (id),
    claim_id  INTEGER NOT NULL REFERENCES claims (id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (outbox_id, claim_id)
) STRICT;
CREATE INDEX outbox_claims_by_claim ON outbox_claims (claim_id);

-- The local copy of the exchange journal.
CREATE TABLE exchanges (
    id                 INTEGER PRIMARY KEY,
    remote_id          TEXT UNIQUE,
    kind               TEXT NOT NULL,
    occurred_at        TEXT NOT NULL,
    outbox_id          INTEGER REFERENCES outbox (id),
    attestation_number INTEGER,
    no_dem_ext         INTEGER,
    status             TEXT,
    detail             TEXT
) STRICT;
CREATE INDEX exchanges_by_date ON exchanges (occurred_at);

-- Receivability (recevabilité) results: one row per claim per answer, so history is kept.
CREATE TABLE receivability (
    id           INTEGER PRIMARY KEY,
    claim_id     INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    outbox_id    INTEGER REFERENCES outbox (id),
    received_at  TEXT NOT NULL,
    receivable   INTEGER NOT NULL CHECK (receivable IN (0, 1)),
    no_fact_ramq TEXT,
    jeton_comm   TEXT
) STRICT;
CREATE INDEX receivability_by_claim ON receivability (claim_id, id);

CREATE TABLE receivability_lines (
    receivability_id   INTEGER NOT NULL REFERENCES receivability (id) ON DELETE CASCADE,
    line_no            INTEGER NOT NULL,
    preliminary_amount TEXT,
    formula            TEXT,
    PRIMARY KEY (receivability_id, line_no)
) STRICT;

CREATE TABLE receivability_messages (
    id               INTEGER PRIMARY KEY,
    receivability_id INTEGER NOT NULL REFERENCES receivability (id) ON DELETE CASCADE,
    line_no          INTEGER,
    code             TEXT NOT NULL,
    text             TEXT NOT NULL
) STRICT;
CREATE INDEX receivability_messages_by_result ON receivability_messages (receivability_id);

-- États de compte.
CREATE TABLE statements (
    id           INTEGER PRIMARY KEY,
    remote_id    TEXT UNIQUE,
    cycle_number INTEGER NOT NULL,
    payment_date TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    total        TEXT NOT NULL
) STRICT;
CREATE INDEX statements_by_cycle ON statements (cycle_number);

CREATE TABLE statement_lines (
    statement_id INTEGER NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    claim_id     INTEGER REFERENCES claims (id),
    external_id  TEXT,
    no_fact_ramq TEXT,
    amount       TEXT NOT NULL,
    message_code TEXT,
    PRIMARY KEY (statement_id, position)
) STRICT;
CREATE INDEX statement_lines_by_claim ON statement_lines (claim_id);

-- The billing calendar cache (its refresh time lives in store_meta).
CREATE TABLE calendar_cycles (
    start_date   TEXT PRIMARY KEY NOT NULL,
    number       INTEGER NOT NULL,
    end_date     TEXT NOT NULL,
    cutoff       TEXT NOT NULL,
    payment_date TEXT NOT NULL
) STRICT;

-- Reminders already delivered, so each is delivered once.
CREATE TABLE reminder_log (
    key          TEXT PRIMARY KEY NOT NULL,
    delivered_at TEXT NOT NULL
) STRICT;
