package dev.weft.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Users, sessions, invitations and the audit log on the embedded SQLite database. */
class SqliteUserStoreTest extends UserStoreContract {

    @Override
    Database openFresh() {
        try {
            return Database.openSqlite(Files.createTempDirectory("weft-user-store"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
