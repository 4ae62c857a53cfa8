package dev.weft.store.kb;

import dev.weft.store.Database;

/** The knowledge-base store's contract on the embedded SQLite database. */
class SqliteKnowledgeStoreTest extends KnowledgeStoreContract {

    @Override
    Database openFresh() {
        return Database.openSqlite(folder.resolve("db"));
    }
}
