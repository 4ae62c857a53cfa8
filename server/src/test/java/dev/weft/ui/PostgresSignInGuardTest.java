package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.auth.SignInGuard;
import dev.weft.store.Database;
import dev.weft.store.JdbcSignInAttempts;
import dev.weft.store.testing.TestPostgres;
import org.junit.jupiter.api.Test;

/** The sign-in budgets on a real PostgreSQL, and two processes spending the same budgets. */
class PostgresSignInGuardTest extends SignInGuardTest {

    private String url;

    @Override
    Database open() {
        if (url == null) url = TestPostgres.newDatabase();
        return Database.openPostgres(url);
    }

    @Test
    void two_processes_spend_one_budget() {
        try (Database other = Database.openPostgres(url)) {
            SignInGuard second = new SignInGuard(clock, BUDGETS, new JdbcSignInAttempts(other));
            CountingCheck wrong = new CountingCheck(false);
            for (int i = 0; i < BUDGETS.perAccountAndAddress(); i++) {
                SignInGuard process = i % 2 == 0 ? guard : second;
                assertThat(process.attempt("admin", STRANGER, wrong)).isInstanceOf(SignInGuard.Wrong.class);
            }
            assertThat(guard.attempt("admin", STRANGER, wrong)).isInstanceOf(SignInGuard.Refused.class);
            assertThat(second.attempt("admin", STRANGER, wrong)).isInstanceOf(SignInGuard.Refused.class);
            assertThat(wrong.computed.get()).isEqualTo(BUDGETS.perAccountAndAddress());
            assertThat(second.attempt("admin", OWNER, new CountingCheck(true))).isInstanceOf(SignInGuard.SignedIn.class);
        }
    }
}
