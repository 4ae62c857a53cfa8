package dev.weft.store;

/** The file store's contract on the embedded SQLite database. */
class SqliteFileStoreTest extends FileStoreContract {

    @Override
    Database openFresh() {
        return Database.openSqlite(folder.resolve("db"));
    }
}
