package dev.weft.auth;

import dev.weft.store.JdbcSignInAttempts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Decides whether a sign-in attempt may have its password checked, and checks one account's passwords one at a
 * time. Wrong passwords are counted in three sliding windows: per (account, client address), per client address,
 * and per account. A stranger's failures exhaust the budgets of the stranger's own address and pair, so the owner
 * signing in from another address is unaffected; the per-account budget is high, and an address that signed in
 * successfully before is exempt from it, so even many addresses together cannot lock the owner out of a known
 * place. An attempt is counted before its hash is computed, so parallel attempts cannot overrun a budget. The
 * counts live in the database ({@link JdbcSignInAttempts}): every process sharing it spends the same budgets, and a
 * restart forgives nothing.
 */
public final class SignInGuard {

    /** How many wrong passwords each budget allows per {@code window}. */
    public record Budgets(int perAccountAndAddress, int perAddress, int perAccount, Duration window) {
        public static final Budgets DEFAULT = new Budgets(5, 20, 100, Duration.ofMinutes(15));
    }

    /** What happened to an attempt. */
    public sealed interface Outcome permits SignedIn, Wrong, Refused {}

    /** The password was right. */
    public record SignedIn() implements Outcome {}

    /** The password was checked and was wrong. */
    public record Wrong() implements Outcome {}

    /** The password was not checked: a budget is spent until {@code retryAfter} has passed. */
    public record Refused(Duration retryAfter, String budget) implements Outcome {}

    /** How long an address stays known for an account after a successful sign-in from it. */
    public static final Duration KNOWN_FOR = Duration.ofDays(30);

    private final Clock clock;
    private final Budgets budgets;
    private final JdbcSignInAttempts ledger;
    private final Map<String, ReentrantLock> checking = new ConcurrentHashMap<>();

    public SignInGuard(Clock clock, Budgets budgets, JdbcSignInAttempts ledger) {
        this.clock = clock;
        this.budgets = budgets;
        this.ledger = ledger;
    }

    /**
     * Checks a password with {@code check} (the expensive hash) if no budget is spent; checks of one account run
     * one at a time in this process, in arrival order.
     */
    public Outcome attempt(String account, String address, BooleanSupplier check) {
        Instant now = clock.instant();
        // counted as a failure until it proves right, so parallel attempts (in any process) see it
        JdbcSignInAttempts.Attempt attempt = ledger.attempt(account, address, now.toEpochMilli(),
                now.minus(budgets.window()).toEpochMilli(), now.minus(KNOWN_FOR).toEpochMilli());
        Refused refused = refusal(attempt, now);
        if (refused != null) {
            ledger.refused(attempt.id());
            return refused;
        }
        boolean right;
        ReentrantLock lock = checking.computeIfAbsent(account, a -> new ReentrantLock(true));
        lock.lock();
        try {
            right = check.getAsBoolean();
        } finally {
            lock.unlock();
        }
        if (!right) return new Wrong();
        // the owner's own slips are forgiven once they get it right, and the address becomes known
        ledger.signedIn(attempt.id(), account, address, clock.millis());
        return new SignedIn();
    }

    private Refused refusal(JdbcSignInAttempts.Attempt attempt, Instant now) {
        if (attempt.pair().failures() >= budgets.perAccountAndAddress()) {
            return refused(attempt.pair(), now, "account and address");
        }
        if (attempt.address().failures() >= budgets.perAddress()) return refused(attempt.address(), now, "address");
        boolean known = attempt.knownAt() > 0 && now.isBefore(Instant.ofEpochMilli(attempt.knownAt()).plus(KNOWN_FOR));
        if (attempt.account().failures() >= budgets.perAccount() && !known) {
            return refused(attempt.account(), now, "account");
        }
        return null;
    }

    /** Refused until the oldest failure in the window leaves it (at least a second). */
    private Refused refused(JdbcSignInAttempts.Window failures, Instant now, String budget) {
        Duration wait = Duration.between(now, Instant.ofEpochMilli(failures.oldest()).plus(budgets.window()));
        return new Refused(wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait, budget);
    }
}
