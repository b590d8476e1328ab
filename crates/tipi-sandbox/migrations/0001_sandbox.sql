-- The sandbox's state. Instants are RFC 3339 UTC text, local dates YYYY-MM-DD (Québec),
-- amounts decimal text. No NAM, no patient name and no clear password is ever stored.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE agencies (
    transmission_number  TEXT PRIMARY KEY,
    origin               TEXT NOT NULL CHECK (origin IN ('blast', 'new')),
    blast_id             TEXT,
    blast_password_hash  TEXT,
    password_hash        TEXT,              -- NULL until enrolled to TIP-I
    password_set_on      TEXT,
    password_temporary   INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    suspended            INTEGER NOT NULL DEFAULT 0,
    first_valid_batch_at TEXT,              -- drives going live
    last_attestation     INTEGER,           -- NULL: no batch yet
    created_at           TEXT NOT NULL
);

CREATE TABLE enrolments (
    id                  TEXT PRIMARY KEY,
    step                TEXT NOT NULL,
    transmission_number TEXT,
    created_at          TEXT NOT NULL
);

CREATE TABLE exchanges (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    transmission_number  TEXT NOT NULL REFERENCES agencies (transmission_number),
    kind                 TEXT NOT NULL CHECK (kind IN ('batch', 'direct')),
    no_attes             INTEGER,
    no_dem_ext           TEXT,
    request_digest       TEXT,
    received_at          TEXT NOT NULL,
    processed_at         TEXT NOT NULL,
    returns_available_at TEXT NOT NULL,
    counted              INTEGER NOT NULL,
    nbr_dem              INTEGER NOT NULL,
    nbr_dem_recev        INTEGER NOT NULL,
    mnt_total            TEXT NOT NULL,
    response_xml         TEXT NOT NULL
);
CREATE UNIQUE INDEX exchanges_attestation ON exchanges (transmission_number, no_attes)
    WHERE kind = 'batch';
CREATE INDEX exchanges_direct ON exchanges (transmission_number, no_dem_ext)
    WHERE kind = 'direct';

CREATE TABLE invoices (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    exchange_id         INTEGER NOT NULL REFERENCES exchanges (id),
    transmission_number TEXT NOT NULL,
    no_attes            INTEGER NOT NULL,   -- 0 for en direct
    no_dem_ext          TEXT NOT NULL,
    no_fact_ext         TEXT NOT NULL,
    receivable          INTEGER NOT NULL,
    counted             INTEGER NOT NULL,
    no_fact_ramq        TEXT,
    amount              TEXT NOT NULL,      -- sum of the preliminary amounts
    received_at         TEXT NOT NULL,
    received_on         TEXT NOT NULL
);
CREATE INDEX invoices_external ON invoices (transmission_number, no_fact_ext);
CREATE INDEX invoices_request ON invoices (transmission_number, no_dem_ext);
CREATE INDEX invoices_paid ON invoices (transmission_number, receivable, counted, received_on);

CREATE TABLE maintenance (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    start_at TEXT NOT NULL,
    end_at   TEXT NOT NULL
);
