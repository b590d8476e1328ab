-- The home screen sums what was sent per payment cycle from the day each claim reached TIP-I
-- (its last move to 'sent'). This partial index finds those moves since a date without reading
-- the whole history of a busy practice.
CREATE INDEX claim_events_sent_at ON claim_events (at)
    WHERE kind = 'state_changed' AND to_state = 'sent';
