package dev.weft.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Draft snapshots on the embedded SQLite database. */
class SqliteDraftStoreTest extends DraftStoreContract {

    @Override
    Database openFresh() {
        try {
            return Database.openSqlite(Files.createTempDirectory("weft-drafts"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
