package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.json.Json;
import dev.weft.store.testing.TestPostgres;
import dev.weft.task.TaskOutcome;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The storage contract on a real PostgreSQL, plus what only a shared database does: wake other processes. */
class PostgresTaskStoreTest extends TaskStoreContract {

    private String url;

    @Override
    Database openFresh() {
        url = TestPostgres.newDatabase();
        return Database.openPostgres(url);
    }

    @Override
    Database openAnother() {
        Database another = Database.openPostgres(url);
        others.add(another);
        return another;
    }

    @Test
    void a_task_queued_in_one_process_wakes_the_workers_of_another() throws Exception {
        Semaphore woken = new Semaphore(0);
        JdbcTaskStore api = store("api");
        try (TaskSignals signals = TaskSignals.listen(openAnother(), woken::release)) {
            assertThat(woken.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("woken once when listening").isTrue();

            long id = accept(api);
            assertThat(woken.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("woken by the accept").isTrue();

            api.queue().claim(1);
            assertThat(api.queue().release(List.of(id))).isEqualTo(1);
            assertThat(woken.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("woken by the release").isTrue();

            api.queue().claim(1);
            clock.advance(LEASE.plusSeconds(1));
            new Rescuer(database, clock).runOnce();
            assertThat(woken.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("woken by the rescue").isTrue();
        }
    }

    @Test
    void a_task_finished_or_cancelled_in_one_process_is_announced_to_another_by_id() throws Exception {
        BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
        Semaphore connected = new Semaphore(0);
        JdbcTaskStore a = store("a");
        try (TaskSignals signals = TaskSignals.listen(openAnother(), null, heard::add, connected::release)) {
            assertThat(connected.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("told when connected").isTrue();
            long done = accept(a);
            long cancelled = accept(a);
            long refused = accept(a);
            a.queue().claim(3);
            store("b").journal().taskFinished(refused, TaskOutcome.completed(Json.object()), clock.instant())
                    .exceptionally(e -> null);   // not b's task: refused, and nothing is announced

            await(a.journal().taskFinished(done, TaskOutcome.completed(Json.object()), clock.instant()));
            assertThat(heard.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(done);
            assertThat(a.journal().cancel(cancelled, TaskOutcome.cancelled(), clock.instant())).isTrue();
            assertThat(heard.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(cancelled);
            assertThat(heard).as("no refused finish, no second notice").isEmpty();
        }
    }

    @Test
    void the_migrations_are_shared_and_run_only_once() {
        int applied = count("SELECT COUNT(*) FROM flyway_schema_history");
        Database again = openAnother();
        assertThat(count("SELECT COUNT(*) FROM flyway_schema_history")).isEqualTo(applied);
        assertThat(count("SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success")).isZero();
        assertThat(again.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThatThrownBy(() -> Database.open("jdbc:mysql://localhost/weft", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql");
    }
}
