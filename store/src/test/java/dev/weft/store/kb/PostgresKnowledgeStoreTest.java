package dev.weft.store.kb;

import dev.weft.store.Database;
import dev.weft.store.testing.TestPostgres;

/** The knowledge-base store's contract on a real PostgreSQL. */
class PostgresKnowledgeStoreTest extends KnowledgeStoreContract {

    @Override
    Database openFresh() {
        return Database.openPostgres(TestPostgres.newDatabase());
    }
}
