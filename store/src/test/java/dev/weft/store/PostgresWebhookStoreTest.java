package dev.weft.store;

import dev.weft.store.testing.TestPostgres;

/** The webhook store's contract on a real PostgreSQL. */
class PostgresWebhookStoreTest extends WebhookStoreContract {

    @Override
    Database openFresh() {
        return Database.openPostgres(TestPostgres.newDatabase());
    }
}
