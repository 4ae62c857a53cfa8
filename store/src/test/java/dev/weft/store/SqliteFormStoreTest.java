package dev.weft.store;

/** The hosted forms' contract on the embedded SQLite database. */
class SqliteFormStoreTest extends FormStoreContract {

    @Override
    Database openFresh() {
        return Database.openSqlite(folder.resolve("db"));
    }
}
