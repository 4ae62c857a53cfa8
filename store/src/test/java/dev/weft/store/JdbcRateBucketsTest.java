package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.weft.store.testing.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shared token buckets on a real PostgreSQL, on times given by the test. */
class JdbcRateBucketsTest {

    static Database database;
    static JdbcRateBuckets buckets;

    @BeforeAll
    static void open() {
        database = Database.openPostgres(TestPostgres.newDatabase());
        buckets = new JdbcRateBuckets(database);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void a_new_bucket_starts_full_and_a_take_gets_at_most_what_it_asks_and_what_the_bucket_holds() {
        assertThat(buckets.take("key:a", 4, 5, 2, 1_000)).isEqualTo(new JdbcRateBuckets.Take(2, 3));
        assertThat(buckets.take("key:a", 4, 5, 2, 1_000)).isEqualTo(new JdbcRateBuckets.Take(2, 1));
        assertThat(buckets.take("key:a", 4, 5, 2, 1_000)).isEqualTo(new JdbcRateBuckets.Take(1, 0));
        JdbcRateBuckets.Take refused = buckets.take("key:a", 4, 5, 2, 1_000);
        assertThat(refused.granted()).isZero();
        assertThat(refused.left()).isZero();
        // 4 a second: 125 ms later half a token is there, not enough; 250 ms later one is
        assertThat(buckets.take("key:a", 4, 5, 2, 1_125).granted()).isZero();
        assertThat(buckets.take("key:a", 4, 5, 2, 1_125).left()).isCloseTo(0.5, within(1e-9));
        assertThat(buckets.take("key:a", 4, 5, 2, 1_250)).isEqualTo(new JdbcRateBuckets.Take(1, 0));
        // another bucket is its own
        assertThat(buckets.take("key:b", 4, 5, 5, 1_250)).isEqualTo(new JdbcRateBuckets.Take(5, 0));
    }

    @Test
    void a_bucket_refills_up_to_its_burst_and_a_clock_behind_never_takes_time_back() {
        assertThat(buckets.take("hook:1", 10, 3, 3, 5_000).granted()).isEqualTo(3);
        // an hour later it holds its burst, no more
        assertThat(buckets.take("hook:1", 10, 3, 100, 3_605_000)).isEqualTo(new JdbcRateBuckets.Take(3, 0));
        // a process whose clock is 2 s behind refills nothing and does not move the bucket's time back
        assertThat(buckets.take("hook:1", 10, 3, 100, 3_603_000)).isEqualTo(new JdbcRateBuckets.Take(0, 0));
        assertThat(buckets.take("hook:1", 10, 3, 100, 3_605_100)).isEqualTo(new JdbcRateBuckets.Take(1, 0));
    }

    @Test
    void takes_from_many_connections_at_once_never_get_more_than_the_bucket_holds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> takes = new ArrayList<>();
            for (int i = 0; i < 200; i++) takes.add(() -> buckets.take("key:race", 1, 50, 1, 7_000).granted());
            int granted = 0;
            for (Future<Integer> take : pool.invokeAll(takes)) granted += take.get();
            assertThat(granted).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_bucket_full_again_is_forgotten_and_one_still_refilling_is_kept() {
        // 2 a second, burst 4: 3 taken at 10 s, so full again 1.5 s later
        assertThat(buckets.take("form:9", 2, 4, 3, 10_000).granted()).isEqualTo(3);
        assertThat(buckets.take("form:10", 2, 4, 1, 10_000).granted()).isEqualTo(1);   // full at 10.5 s
        assertThat(buckets.forget(10_600)).as("form:10 only (and older tests' buckets)").isPositive();
        JdbcRateBuckets.Take kept = buckets.take("form:9", 2, 4, 4, 10_600);   // 1 + 0.6 s x 2 = 2.2 there
        assertThat(kept.granted()).as("still refilling: kept").isEqualTo(2);
        assertThat(kept.left()).isCloseTo(0.2, within(1e-9));
        // full again once 3.8 tokens have come back: 10.6 s + 1.9 s
        assertThat(buckets.forget(12_499)).isZero();
        assertThat(buckets.forget(12_501)).isEqualTo(1);
        assertThat(buckets.take("form:9", 2, 4, 4, 12_501)).as("forgotten: a new bucket, full")
                .isEqualTo(new JdbcRateBuckets.Take(4, 0));
    }

    @Test
    void sqlite_keeps_its_buckets_in_memory(@TempDir Path dir) {
        try (Database sqlite = Database.openSqlite(dir)) {
            assertThatThrownBy(() -> new JdbcRateBuckets(sqlite)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PostgreSQL");
        }
    }
}
