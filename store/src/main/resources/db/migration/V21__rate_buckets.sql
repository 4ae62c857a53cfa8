-- Rate limits that hold across processes: one token bucket per limited thing (a server key, a webhook, a form, a
-- visitor's address at a form), shared by every process on this database. A process takes tokens from it a few at a
-- time and spends them itself (auth/SharedRateLimiter); "granted" is how many the last take got; "full_at" is when
-- the bucket will be full again, after which its row means no more than no row (a new bucket starts full) and is
-- deleted. Used where processes share a PostgreSQL; a single SQLite process keeps its buckets in memory.
CREATE TABLE rate_buckets (
    bucket      TEXT PRIMARY KEY,
    tokens      DOUBLE PRECISION NOT NULL,
    refilled_at BIGINT NOT NULL,
    granted     DOUBLE PRECISION NOT NULL,
    full_at     BIGINT NOT NULL
);
CREATE INDEX rate_buckets_full_at ON rate_buckets (full_at);
