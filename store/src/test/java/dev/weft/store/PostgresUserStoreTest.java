package dev.weft.store;

import dev.weft.store.testing.TestPostgres;

/** Users, sessions, invitations and the audit log on a real PostgreSQL. */
class PostgresUserStoreTest extends UserStoreContract {

    @Override
    Database openFresh() {
        return Database.openPostgres(TestPostgres.newDatabase());
    }
}
