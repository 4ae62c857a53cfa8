package dev.weft.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.ManualClock;
import dev.weft.store.Database;
import dev.weft.store.JdbcRateBuckets;
import dev.weft.store.testing.TestPostgres;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits shared by processes, on a real PostgreSQL: two limiters over one database stand for two processes,
 * on a clock the test moves.
 */
class SharedRateLimiterTest {

    static Database database;
    static JdbcRateBuckets buckets;
    final ManualClock clock = new ManualClock();

    @BeforeAll
    static void open() {
        database = Database.openPostgres(TestPostgres.newDatabase());
        buckets = new JdbcRateBuckets(database);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private SharedRateLimiter process(String scope, double perSecond, int burst) {
        return new SharedRateLimiter(buckets, scope, perSecond, burst, clock);
    }

    @Test
    void two_processes_together_allow_the_burst_once_where_each_alone_would_allow_it_again() {
        SharedRateLimiter a = process("t1:", 10, 10);
        SharedRateLimiter b = process("t1:", 10, 10);
        int allowed = 0;
        for (int i = 0; i < 20; i++) if ((i % 2 == 0 ? a : b).take("key").isZero()) allowed++;
        assertThat(allowed).isEqualTo(10);
        assertThat(a.take("key")).isEqualTo(Duration.ofMillis(100));
        assertThat(b.take("key")).isEqualTo(Duration.ofMillis(100));
        assertThat(a.take("other key")).as("each key has its own bucket").isZero();

        clock.advance(Duration.ofMillis(100));
        assertThat(b.take("key")).as("refilled at the rate").isZero();
        assertThat(a.take("key")).isPositive();

        // what each process alone (in memory) allows: the burst in each
        RateLimiter aloneA = new RateLimiter(10, 10, System::nanoTime);
        RateLimiter aloneB = new RateLimiter(10, 10, System::nanoTime);
        int alone = 0;
        for (int i = 0; i < 20; i++) if ((i % 2 == 0 ? aloneA : aloneB).take("key").isZero()) alone++;
        assertThat(alone).isEqualTo(20);
    }

    @Test
    void tokens_taken_a_few_at_a_time_are_spent_where_they_were_taken_and_never_more_than_the_bucket_held() {
        assertThat(SharedRateLimiter.chunk(200, 200)).isEqualTo(10);
        SharedRateLimiter a = process("t2:", 200, 200);
        SharedRateLimiter b = process("t2:", 200, 200);
        assertThat(a.take("key")).isZero();   // a took 10 from the bucket and holds 9
        int byB = 0;
        while (b.take("key").isZero()) byB++;
        assertThat(byB).isEqualTo(190);
        int byA = 1;
        while (a.take("key").isZero()) byA++;
        assertThat(byA).isEqualTo(10);
        assertThat(byA + byB).isEqualTo(200);
    }

    @Test
    void tokens_held_and_not_spent_within_a_second_go_back_to_nobody() {
        assertThat(SharedRateLimiter.chunk(100, 8)).isEqualTo(2);
        SharedRateLimiter a = process("t3:", 100, 8);
        assertThat(a.take("key")).isZero();   // took 2 of 8, holds 1
        clock.advance(SharedRateLimiter.HELD_FOR);
        assertThat(a.take("key")).isZero();   // its held token has lapsed: it takes 2 again from the refilled bucket
        assertThat(buckets.take("t3:key", 100, 8, 100, clock.millis()).granted())
                .as("the bucket refilled to its burst, less the 2 just taken").isEqualTo(6);
    }

    @Test
    void without_its_database_a_process_limits_alone_until_the_database_is_back() {
        Database gone = Database.openPostgres(TestPostgres.newDatabase());
        SharedRateLimiter a = new SharedRateLimiter(new JdbcRateBuckets(gone), "t4:", 0.01, 2, clock);
        gone.close();
        assertThat(a.take("key")).isZero();
        assertThat(a.take("key")).isZero();
        assertThat(a.take("key")).isPositive();
    }

    @Test
    void a_key_over_its_limit_is_refused_without_reading_the_bucket_until_a_token_can_be_there() {
        Database own = Database.openPostgres(TestPostgres.newDatabase());
        SharedRateLimiter a = new SharedRateLimiter(new JdbcRateBuckets(own), "t6:", 10, 1, clock);
        assertThat(a.take("key")).isZero();
        assertThat(a.take("key")).isEqualTo(Duration.ofMillis(100));
        own.close();   // from here a read would fail, and the process would limit alone (allowing one at once)
        clock.advance(Duration.ofMillis(40));
        for (int i = 0; i < 100; i++) assertThat(a.take("key")).isEqualTo(Duration.ofMillis(60));
        clock.advance(Duration.ofMillis(60));
        assertThat(a.take("key")).as("the bucket is read again (and, gone, the process limits alone)").isZero();
    }

    @Test
    void a_rate_of_zero_limits_nothing_and_reads_nothing() {
        SharedRateLimiter off = process("t5:", 0, 0);
        assertThat(off.enabled()).isFalse();
        for (int i = 0; i < 5; i++) assertThat(off.take("key")).isZero();
        assertThat(buckets.take("t5:key", 1, 3, 3, clock.millis()).granted()).as("no bucket was made before").isEqualTo(3);
    }
}
