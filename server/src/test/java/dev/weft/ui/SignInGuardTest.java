package dev.weft.ui;

import dev.weft.auth.SignInGuard;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.ManualClock;
import dev.weft.store.Database;
import dev.weft.store.JdbcSignInAttempts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in budgets per (account, address), per address and per account, on a manual clock; checks one at a time.
 * The counts are in the database: on SQLite here (and kept across a restart), on PostgreSQL in
 * {@link PostgresSignInGuardTest} (and shared by two processes).
 */
class SignInGuardTest {

    static final String STRANGER = "203.0.113.7";
    static final String OWNER = "198.51.100.2";
    static final SignInGuard.Budgets BUDGETS = SignInGuard.Budgets.DEFAULT;

    final ManualClock clock = new ManualClock();
    @TempDir
    Path dir;
    Database database;
    SignInGuard guard;

    /** The database the guard counts in. */
    Database open() {
        return Database.openSqlite(dir);
    }

    @BeforeEach
    void start() {
        database = open();
        guard = new SignInGuard(clock, BUDGETS, new JdbcSignInAttempts(database));
    }

    @AfterEach
    void stop() {
        database.close();
    }

    /** A password check that counts how often the hash would run and how many run at once. */
    static final class CountingCheck implements BooleanSupplier {
        final AtomicInteger computed = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final boolean right;

        CountingCheck(boolean right) {
            this.right = right;
        }

        @Override
        public boolean getAsBoolean() {
            computed.incrementAndGet();
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));   // stands for the hash: widens any overlap
            running.decrementAndGet();
            return right;
        }
    }

    @Test
    void a_strangers_failures_from_one_address_do_not_lock_the_owner_out_of_another() {
        CountingCheck wrong = new CountingCheck(false);
        for (int i = 0; i < BUDGETS.perAccountAndAddress(); i++) {
            assertThat(guard.attempt("admin", STRANGER, wrong)).isInstanceOf(SignInGuard.Wrong.class);
        }
        SignInGuard.Outcome refused = guard.attempt("admin", STRANGER, wrong);
        assertThat(refused).isInstanceOf(SignInGuard.Refused.class);
        assertThat(((SignInGuard.Refused) refused).retryAfter()).isEqualTo(BUDGETS.window());
        assertThat(wrong.computed.get()).isEqualTo(BUDGETS.perAccountAndAddress());

        assertThat(guard.attempt("admin", OWNER, new CountingCheck(true))).isInstanceOf(SignInGuard.SignedIn.class);
    }

    @Test
    void after_the_window_the_refused_address_may_try_again() {
        CountingCheck wrong = new CountingCheck(false);
        for (int i = 0; i < BUDGETS.perAccountAndAddress(); i++) guard.attempt("admin", STRANGER, wrong);
        clock.advance(Duration.ofMinutes(5));
        SignInGuard.Refused refused = (SignInGuard.Refused) guard.attempt("admin", STRANGER, wrong);
        assertThat(refused.retryAfter()).isEqualTo(BUDGETS.window().minusMinutes(5));

        clock.advance(refused.retryAfter().minusSeconds(1));
        assertThat(guard.attempt("admin", STRANGER, wrong)).isInstanceOf(SignInGuard.Refused.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(guard.attempt("admin", STRANGER, new CountingCheck(true))).isInstanceOf(SignInGuard.SignedIn.class);
    }

    @Test
    void an_address_spends_its_own_budget_across_accounts() {
        CountingCheck wrong = new CountingCheck(false);
        int tried = 0;
        for (int account = 0; tried < BUDGETS.perAddress(); account++) {
            for (int i = 0; i < BUDGETS.perAccountAndAddress() && tried < BUDGETS.perAddress(); i++, tried++) {
                assertThat(guard.attempt("user" + account, STRANGER, wrong)).isInstanceOf(SignInGuard.Wrong.class);
            }
        }
        SignInGuard.Refused refused = (SignInGuard.Refused) guard.attempt("someone-new", STRANGER, wrong);
        assertThat(refused.budget()).isEqualTo("address");
        assertThat(guard.attempt("someone-new", OWNER, wrong)).isInstanceOf(SignInGuard.Wrong.class);
    }

    @Test
    void many_addresses_together_cannot_lock_the_owner_out_of_a_known_address() {
        assertThat(guard.attempt("admin", OWNER, new CountingCheck(true))).isInstanceOf(SignInGuard.SignedIn.class);
        for (int i = 0; i < BUDGETS.perAccount(); i++) guard.attempt("admin", "203.0.113." + i, () -> false);
        CountingCheck wrong = new CountingCheck(false);
        SignInGuard.Refused refused = (SignInGuard.Refused) guard.attempt("admin", "192.0.2.1", wrong);
        assertThat(refused.budget()).isEqualTo("account");
        assertThat(guard.attempt("admin", OWNER, new CountingCheck(true))).isInstanceOf(SignInGuard.SignedIn.class);
    }

    @Test
    void a_restart_forgives_nothing() {
        CountingCheck wrong = new CountingCheck(false);
        for (int i = 0; i < BUDGETS.perAccountAndAddress(); i++) guard.attempt("admin", STRANGER, wrong);
        database.close();
        database = open();   // the process starts again on the same database
        guard = new SignInGuard(clock, BUDGETS, new JdbcSignInAttempts(database));
        assertThat(guard.attempt("admin", STRANGER, wrong)).isInstanceOf(SignInGuard.Refused.class);
        assertThat(wrong.computed.get()).isEqualTo(BUDGETS.perAccountAndAddress());
    }

    @Test
    void thirty_parallel_wrong_attempts_compute_only_the_budget_and_never_two_at_once() throws Exception {
        CountingCheck wrong = new CountingCheck(false);
        ExecutorService threads = Executors.newFixedThreadPool(30);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SignInGuard.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                outcomes.add(threads.submit(() -> {
                    go.await();
                    return guard.attempt("admin", STRANGER, wrong);
                }));
            }
            go.countDown();
            int refused = 0;
            for (Future<SignInGuard.Outcome> outcome : outcomes) {
                if (outcome.get(30, TimeUnit.SECONDS) instanceof SignInGuard.Refused) refused++;
            }
            assertThat(wrong.computed.get()).isEqualTo(BUDGETS.perAccountAndAddress());
            assertThat(refused).isEqualTo(30 - BUDGETS.perAccountAndAddress());
            assertThat(wrong.mostAtOnce.get()).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void parallel_attempts_from_many_addresses_are_checked_one_at_a_time() throws Exception {
        CountingCheck wrong = new CountingCheck(false);
        ExecutorService threads = Executors.newFixedThreadPool(30);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SignInGuard.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String address = "203.0.113." + i;
                outcomes.add(threads.submit(() -> {
                    go.await();
                    return guard.attempt("admin", address, wrong);
                }));
            }
            go.countDown();
            for (Future<SignInGuard.Outcome> outcome : outcomes) {
                assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(SignInGuard.Wrong.class);
            }
            assertThat(wrong.computed.get()).isEqualTo(30);
            assertThat(wrong.mostAtOnce.get()).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }
}
