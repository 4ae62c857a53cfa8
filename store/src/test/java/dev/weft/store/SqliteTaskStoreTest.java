package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The storage contract on the embedded SQLite database, plus what only its one owning process does. */
class SqliteTaskStoreTest extends TaskStoreContract {

    @Override
    Database openFresh() {
        try {
            return Database.openSqlite(Files.createTempDirectory("weft-store"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    Database openAnother() {
        return database;
    }

    @Test
    void at_start_every_running_task_is_an_orphan_of_the_previous_process() throws Exception {
        JdbcTaskStore before = store("before");
        long id = accept(before);
        before.queue().claim(1);
        await(before.journal().stepFinished(id, step("start", "kept")));

        JdbcTaskStore after = store("after");
        assertThat(after.queue().requeueOrphans()).isEqualTo(1);

        assertThat(row(id)).isEqualTo(new Row("queued", null, null, 1));
        assertThat(after.queue().claim(1).get(0).recorded()).hasSize(1);
        assertThat(after.queue().release(List.of(id))).isEqualTo(1);
    }
}
