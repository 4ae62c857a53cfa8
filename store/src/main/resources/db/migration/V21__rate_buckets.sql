-- Rate limits that hold across processes: one token bucket per limited thing (a server key, a webhook), shared by
-- every process on this database. A process takes tokens from it a few at a time and spends them itself
-- (auth/SharedRateLimiter); "granted" is how many the last take got. Used where processes share a PostgreSQL; a
-- single SQLite process keeps its buckets in memory, which is exact there.
CREATE TABLE rate_buckets (
    bucket      TEXT PRIMARY KEY,
    tokens      DOUBLE PRECISION NOT NULL,
    refilled_at BIGINT NOT NULL,
    granted     DOUBLE PRECISION NOT NULL
);
