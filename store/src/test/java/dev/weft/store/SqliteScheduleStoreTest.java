package dev.weft.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Schedules and their ticks' claims on the embedded SQLite database. */
class SqliteScheduleStoreTest extends ScheduleStoreContract {

    private Path folder;

    @Override
    Database openFresh() {
        try {
            folder = Files.createTempDirectory("weft-schedules");
            return Database.openSqlite(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    Database openAgain() {
        return Database.openSqlite(folder);
    }
}
