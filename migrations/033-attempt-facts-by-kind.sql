-- The Accountant's time yardstick (median duration of verified attempts of a kind) is read after every attempt.
CREATE INDEX attempt_facts_verified_kind_idx ON aura.attempt_facts (kind, occurred_at) WHERE outcome = 'verified';
