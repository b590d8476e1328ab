-- Announced TIP-I maintenance windows, `[start_at, end_at)` in UTC, cached with the billing
-- calendar (replaced with it, in the same transaction), so Tipi knows offline when TIP-I is
-- closed and can remind the user beforehand.
CREATE TABLE calendar_maintenance (
    start_at TEXT NOT NULL,
    end_at   TEXT NOT NULL,
    PRIMARY KEY (start_at, end_at)
) STRICT;
