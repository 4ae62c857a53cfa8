package dev.weft.store;

import dev.weft.store.testing.TestPostgres;

/** The file store's contract on a real PostgreSQL. */
class PostgresFileStoreTest extends FileStoreContract {

    @Override
    Database openFresh() {
        return Database.openPostgres(TestPostgres.newDatabase());
    }
}
