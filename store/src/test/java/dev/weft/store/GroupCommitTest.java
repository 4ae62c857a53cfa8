package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    @Test
    void writes_queued_together_share_a_transaction_and_a_bad_one_fails_alone() throws Exception {
        try (Database database = Database.openSqlite(Files.createTempDirectory("weft-writer"))) {
            GroupCommit writer = database.writer();
            writer.run(tx -> Rows.update(tx, "CREATE TABLE t (x INTEGER NOT NULL)"));
            CountDownLatch hold = new CountDownLatch(1);
            CompletableFuture<Integer> first = writer.submit(tx -> {
                awaitQuietly(hold);   // keeps the writer busy while the next writes queue up behind it
                return Rows.update(tx, "INSERT INTO t VALUES (1)");
            });
            CompletableFuture<Integer> second = writer.submit(tx -> Rows.update(tx, "INSERT INTO t VALUES (2)"));
            CompletableFuture<Integer> bad = writer.submit(tx -> Rows.update(tx, "INSERT INTO t VALUES (NULL)"));
            CompletableFuture<Integer> fourth = writer.submit(tx -> Rows.update(tx, "INSERT INTO t VALUES (4)"));
            hold.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(fourth.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(bad).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(SQLException.class);
            assertThat(Rows.list(database.readers(), "SELECT x FROM t ORDER BY x", r -> r.getInt(1)))
                    .containsExactly(1, 2, 4);
        }
    }

    @Test
    void a_write_that_throws_an_error_fails_alone_and_the_writer_goes_on() throws Exception {
        try (Database database = Database.openSqlite(Files.createTempDirectory("weft-writer"))) {
            GroupCommit writer = database.writer();
            writer.run(tx -> Rows.update(tx, "CREATE TABLE t (x INTEGER NOT NULL)"));
            CompletableFuture<Integer> broken = writer.<Integer>submit(tx -> {
                throw new StackOverflowError("deep");
            });
            assertThat(broken).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(StackOverflowError.class);
            Integer inserted = writer.run(tx -> Rows.update(tx, "INSERT INTO t VALUES (1)"));
            assertThat(inserted).as("the writer still writes").isEqualTo(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
