package dev.weft.kb;

import dev.weft.store.Database;
import dev.weft.store.testing.TestPostgres;

/** The service on a real PostgreSQL; the second instance is another pool and another index folder. */
class PostgresKnowledgeBasesTest extends KnowledgeBasesContract {

    private String url;

    @Override
    Database openFresh() {
        url = TestPostgres.newDatabase();
        return Database.openPostgres(url);
    }

    @Override
    Database reopen() {
        return Database.openPostgres(url);
    }
}
