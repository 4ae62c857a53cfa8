package dev.weft.store;

/**
 * Token buckets in the database, shared by the processes that use it: each take refills a bucket for the time
 * since its last take and takes up to a number of whole tokens, in one statement (the row's lock orders takes from
 * any number of processes). PostgreSQL only; a single SQLite process keeps its buckets in memory.
 */
public final class JdbcRateBuckets {

    /** What a take got: {@code granted} whole tokens, and the tokens left in the bucket after it (less than one when refused). */
    public record Take(int granted, double left) {}

    private static final String TAKE = """
            INSERT INTO rate_buckets AS b (bucket, tokens, refilled_at, granted, full_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (bucket) DO UPDATE SET (tokens, refilled_at, granted, full_at) = (
                SELECT x.available - LEAST(p.most, FLOOR(x.available)), GREATEST(b.refilled_at, p.now),
                       LEAST(p.most, FLOOR(x.available)),
                       GREATEST(b.refilled_at, p.now) + CAST(CEIL((LEAST(p.most, FLOOR(x.available))
                           + p.burst - x.available) / p.per_ms) AS BIGINT)
                FROM (SELECT CAST(? AS DOUBLE PRECISION) AS burst, CAST(? AS DOUBLE PRECISION) AS per_ms,
                             CAST(? AS BIGINT) AS now, CAST(? AS DOUBLE PRECISION) AS most) p,
                     LATERAL (SELECT LEAST(p.burst, b.tokens + GREATEST(0, p.now - b.refilled_at) * p.per_ms)
                              AS available) x)
            RETURNING granted, tokens""";
    private static final String FORGET = "DELETE FROM rate_buckets WHERE full_at < ?";

    private final Database database;

    public JdbcRateBuckets(Database database) {
        if (!database.dialect().shared()) {
            throw new IllegalArgumentException("shared rate buckets need a database shared by processes (PostgreSQL)");
        }
        this.database = database;
    }

    /**
     * Refills {@code bucket} ({@code perSecond} tokens a second, at most {@code burst}; a new bucket starts full) up to
     * {@code nowMillis} and takes as many whole tokens as it holds, at most {@code most}.
     */
    public Take take(String bucket, double perSecond, double burst, int most, long nowMillis) {
        if (perSecond <= 0) throw new IllegalArgumentException("a bucket refills at a rate above 0, not " + perSecond);
        int fresh = (int) Math.min(most, Math.floor(burst));
        long fullAt = nowMillis + (long) Math.ceil(fresh / (perSecond / 1000.0));
        return database.writeAside(tx -> Rows.one(tx, TAKE, row -> new Take((int) row.getDouble("granted"),
                        row.getDouble("tokens")), bucket, burst - fresh, nowMillis, (double) fresh, fullAt, burst,
                perSecond / 1000.0, nowMillis, (double) most)
                .orElseThrow(() -> new StoreException("no row from taking tokens of bucket " + bucket, null)));
    }

    /**
     * Deletes the buckets that are full again at {@code nowMillis} (no take since long enough): such a row means no
     * more than no row. Keeps the table to the buckets in use, however many visitors' addresses passed.
     */
    public int forget(long nowMillis) {
        return database.writeAside(tx -> Rows.update(tx, FORGET, nowMillis));
    }
}
