package dev.weft.store;

import dev.weft.store.testing.TestPostgres;

/** The hosted forms' contract on a real PostgreSQL. */
class PostgresFormStoreTest extends FormStoreContract {

    @Override
    Database openFresh() {
        return Database.openPostgres(TestPostgres.newDatabase());
    }
}
