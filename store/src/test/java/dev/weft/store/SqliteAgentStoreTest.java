package dev.weft.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Agent runs' journal and conversation memory on the embedded SQLite database. */
class SqliteAgentStoreTest extends AgentStoreContract {

    @Override
    Database openFresh() {
        try {
            return Database.openSqlite(Files.createTempDirectory("weft-agent-store"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
