package dev.weft.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Single sign-on's sign-ins and identities on the embedded SQLite database. */
class SqliteOidcStoreTest extends OidcStoreContract {

    @Override
    Database openFresh() {
        try {
            return Database.openSqlite(Files.createTempDirectory("weft-oidc-store"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
