package dev.weft.store;

import dev.weft.store.testing.TestPostgres;

/** Agent runs' journal and conversation memory on a real PostgreSQL. */
class PostgresAgentStoreTest extends AgentStoreContract {

    @Override
    Database openFresh() {
        return Database.openPostgres(TestPostgres.newDatabase());
    }
}
