package dev.weft.kb;

import dev.weft.store.Database;

/** The service on the embedded database (the second instance shares the file, as a test of the index's sync). */
class SqliteKnowledgeBasesTest extends KnowledgeBasesContract {

    @Override
    Database openFresh() {
        return Database.openSqlite(data.resolve("db"));
    }

    @Override
    Database reopen() {
        return Database.openSqlite(data.resolve("db"));
    }
}
