package dev.weft.store;

import dev.weft.store.testing.TestPostgres;

/** Schedules and their ticks' claims on a real PostgreSQL, claimed at once by two connection pools (processes). */
class PostgresScheduleStoreTest extends ScheduleStoreContract {

    private String url;

    @Override
    Database openFresh() {
        url = TestPostgres.newDatabase();
        return Database.openPostgres(url);
    }

    @Override
    Database openAgain() {
        return Database.openPostgres(url);
    }
}
