package dev.weft.store;

/** The webhook store's contract on the embedded SQLite database. */
class SqliteWebhookStoreTest extends WebhookStoreContract {

    @Override
    Database openFresh() {
        return Database.openSqlite(folder.resolve("db"));
    }
}
