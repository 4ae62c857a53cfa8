package dev.weft.store;

import dev.weft.store.testing.TestPostgres;

/** Single sign-on's sign-ins and identities on a real PostgreSQL. */
class PostgresOidcStoreTest extends OidcStoreContract {

    @Override
    Database openFresh() {
        return Database.openPostgres(TestPostgres.newDatabase());
    }
}
