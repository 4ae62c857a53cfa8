package dev.weft.store;

import dev.weft.store.testing.TestPostgres;

/** Draft snapshots on a real PostgreSQL. */
class PostgresDraftStoreTest extends DraftStoreContract {

    @Override
    Database openFresh() {
        return Database.openPostgres(TestPostgres.newDatabase());
    }
}
