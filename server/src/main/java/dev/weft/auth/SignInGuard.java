package dev.weft.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * place. An attempt is counted before its hash is computed, so parallel attempts cannot overrun a budget.
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
    /** Addresses tracked at most per map; past it the expired ones are dropped first, then the oldest. */
    static final int TRACKED_MAX = 10_000;

    private final Clock clock;
    private final Budgets budgets;
    private final Map<String, Deque<Instant>> byPair = new HashMap<>();
    private final Map<String, Deque<Instant>> byAddress = new HashMap<>();
    private final Map<String, Deque<Instant>> byAccount = new HashMap<>();
    private final Map<String, Instant> known = new LinkedHashMap<>();
    private final Map<String, ReentrantLock> checking = new ConcurrentHashMap<>();

    public SignInGuard(Clock clock, Budgets budgets) {
        this.clock = clock;
        this.budgets = budgets;
    }

    /**
     * Checks a password with {@code check} (the expensive hash) if no budget is spent; checks of one account run
     * one at a time, in arrival order.
     */
    public Outcome attempt(String account, String address, BooleanSupplier check) {
        Instant at;
        synchronized (this) {
            at = clock.instant();
            Refused refused = refusal(account, address, at);
            if (refused != null) return refused;
            // Counted as a failure until it proves right, so parallel attempts see it.
            record(byPair, pair(account, address), at);
            record(byAddress, address, at);
            record(byAccount, account, at);
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
        synchronized (this) {
            unrecord(byPair, pair(account, address), at);
            unrecord(byAddress, address, at);
            unrecord(byAccount, account, at);
            byPair.remove(pair(account, address));   // the owner's own slips are forgiven once they get it right
            known.remove(pair(account, address));
            known.put(pair(account, address), clock.instant());
            trim(known);
        }
        return new SignedIn();
    }

    private Refused refusal(String account, String address, Instant now) {
        Instant horizon = now.minus(budgets.window());
        Deque<Instant> pair = prune(byPair, pair(account, address), horizon);
        if (pair.size() >= budgets.perAccountAndAddress()) return refused(pair, now, "account and address");
        Deque<Instant> fromAddress = prune(byAddress, address, horizon);
        if (fromAddress.size() >= budgets.perAddress()) return refused(fromAddress, now, "address");
        Deque<Instant> forAccount = prune(byAccount, account, horizon);
        if (forAccount.size() >= budgets.perAccount() && !knows(account, address, now)) {
            return refused(forAccount, now, "account");
        }
        return null;
    }

    private boolean knows(String account, String address, Instant now) {
        Instant last = known.get(pair(account, address));
        return last != null && now.isBefore(last.plus(KNOWN_FOR));
    }

    /** Refused until the oldest failure in the window leaves it (at least a second). */
    private Refused refused(Deque<Instant> failures, Instant now, String budget) {
        Duration wait = Duration.between(now, failures.peekFirst().plus(budgets.window()));
        return new Refused(wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait, budget);
    }

    private Deque<Instant> prune(Map<String, Deque<Instant>> map, String key, Instant horizon) {
        Deque<Instant> failures = map.get(key);
        if (failures == null) return new ArrayDeque<>();
        while (!failures.isEmpty() && !failures.peekFirst().isAfter(horizon)) failures.removeFirst();
        if (failures.isEmpty()) map.remove(key);
        return failures;
    }

    private void record(Map<String, Deque<Instant>> map, String key, Instant at) {
        if (map.size() >= TRACKED_MAX && !map.containsKey(key)) {
            Instant horizon = at.minus(budgets.window());
            map.values().removeIf(failures -> failures.isEmpty() || !failures.peekLast().isAfter(horizon));
            if (map.size() >= TRACKED_MAX) map.remove(map.keySet().iterator().next());
        }
        map.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(at);
    }

    private static void unrecord(Map<String, Deque<Instant>> map, String key, Instant at) {
        Deque<Instant> failures = map.get(key);
        if (failures == null) return;
        failures.removeLastOccurrence(at);
        if (failures.isEmpty()) map.remove(key);
    }

    private static void trim(Map<String, Instant> known) {
        while (known.size() > TRACKED_MAX) known.remove(known.keySet().iterator().next());
    }

    private static String pair(String account, String address) {
        return account + "\u0000" + address;
    }
}
