package dev.weft.callback;

import dev.weft.event.Metrics;
import dev.weft.http.TaskJson;
import dev.weft.concurrent.Loop;
import dev.weft.concurrent.Threads;
import dev.weft.engine.TaskListener;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import dev.weft.builtin.AddressGuard;
import dev.weft.store.AcceptHook;
import dev.weft.store.JdbcCallbackStore;
import dev.weft.store.JdbcCallbackStore.DeliveryAttempt;
import dev.weft.store.JdbcCallbackStore.Due;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.TaskRecord;
import dev.weft.store.Tx;
import dev.weft.task.TaskOutcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Delivers completion callbacks: when a task with a {@code callback_url} ends, POSTs its task JSON there, signed
 * ({@link CallbackSigner}); a delivery that gets no 2xx answer is retried with exponential backoff until the policy
 * gives up (a day by default), and every attempt is recorded. Callbacks live in the database, so they survive a
 * restart and any process may deliver them (each claim holds a lease). Redirects are not followed; the target
 * passes the address guard again before every attempt. A receiver may get a callback twice (a process that dies
 * after sending, before recording): it should treat the task id as the key.
 */
public final class Callbacks implements TaskListener, AutoCloseable {

    public static final String SECRET_SETTING = "callback_secret";
    /** At most this many deliveries in flight per process. */
    public static final int IN_FLIGHT_MAX = 16;
    public static final Duration POLL_DEFAULT = Duration.ofSeconds(1);
    private static final int TRACKED_MAX = 100_000;
    private static final int PROMOTE_BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

    private final JdbcCallbackStore store;
    private final JdbcTaskStore tasks;
    private final CallbackTargets targets;
    private final CallbackPolicy policy;
    private final Clock clock;
    private final Metrics metrics;
    private final CallbackSigner signer;
    private final ExecutorService handlers = Executors.newFixedThreadPool(2, Threads.named("weft-callback"));
    private final HttpClient http;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_MAX);
    /** Tasks accepted here with a callback: when one ends here, its callback is made due at once. */
    private final Map<Long, Boolean> local = new ConcurrentHashMap<>();
    private final Loop rounds;

    public Callbacks(JdbcCallbackStore store, JdbcTaskStore tasks, AddressGuard guard,
                     CallbackPolicy policy, Clock clock, Metrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.tasks = tasks;
        this.targets = new CallbackTargets(guard);
        this.policy = policy;
        this.clock = clock;
        String secret = policy.secret() != null ? policy.secret()
                : store.setting(SECRET_SETTING, Callbacks::newSecret);
        this.signer = new CallbackSigner(secret);
        Duration poll = policy.firstRetry().compareTo(POLL_DEFAULT) < 0 ? policy.firstRetry() : POLL_DEFAULT;
        this.rounds = Loop.onWake("weft-callbacks", poll, this::runOnce);
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(policy.timeout()).build();
    }

    /** The secret that signs callbacks (for the operator who sets up a receiver). */
    public String secret() {
        return policy.secret() != null ? policy.secret() : store.setting(SECRET_SETTING, Callbacks::newSecret);
    }

    public CallbackTargets targets() {
        return targets;
    }

    /** The hook that stores {@code url} as the callback of the task being accepted. */
    public AcceptHook register(URI url) {
        AcceptHook stored = store.register(url.toString());
        return new AcceptHook() {
            @Override
            public void inserted(Tx tx, long taskId) throws SQLException {
                stored.inserted(tx, taskId);
            }

            @Override
            public void committed(long taskId) {
                accepted(taskId);
            }
        };
    }

    /** The task just accepted here has a callback: its end here makes the callback due at once. */
    private void accepted(long taskId) {
        if (local.size() < TRACKED_MAX) local.put(taskId, Boolean.TRUE);
    }

    @Override
    public void taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        if (local.remove(taskId) == null) return;   // none, or accepted elsewhere: the next round finds it
        store.taskFinished(taskId).whenComplete((n, e) -> wakeUp());
    }

    public void start() {
        rounds.start();
    }

    public void wakeUp() {
        rounds.wakeUp();
    }

    /** One round: makes due the callbacks of tasks that finished, and starts the due deliveries. */
    public int runOnce() {
        store.promoteFinished(PROMOTE_BATCH);
        int free = inFlight.availablePermits();
        if (free == 0) return 0;
        List<Due> due = store.claimDue(free, policy.timeout().plusSeconds(30));
        for (Due callback : due) {
            inFlight.acquireUninterruptibly();
            try {
                deliver(callback);
            } catch (RuntimeException e) {
                inFlight.release();
                log.warn("callback {} of task {} could not be sent: {}", callback.id(), callback.taskId(), e.toString());
            }
        }
        return due.size();
    }

    private void deliver(Due callback) {
        Instant started = clock.instant();
        Optional<TaskRecord> task = tasks.reads().get(callback.taskId());
        if (task.isEmpty()) {   // deleted by retention between the claim and now: nothing to tell
            inFlight.release();
            return;
        }
        URI url = URI.create(callback.url());
        try {
            targets.recheck(url);
        } catch (NodeException e) {
            finished(callback, started, null, e.getMessage(), !AddressGuard.REFUSED.equals(e.type()));
            return;
        }
        byte[] body = Json.bytes(TaskJson.task(task.get()));
        HttpRequest request = HttpRequest.newBuilder(url).timeout(policy.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Weft-Callback/1")
                .header("Weft-Task-Id", String.valueOf(callback.taskId()))
                .header("Weft-Delivery", callback.id() + "/" + callback.attempt())
                .header(CallbackSigner.HEADER, signer.header(clock.instant().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenCompleteAsync((response, error) -> {
            if (error != null) {
                finished(callback, started, null, describe(error, url), true);
            } else if (response.statusCode() / 100 == 2) {
                finished(callback, started, response.statusCode(), null, false);
            } else {
                finished(callback, started, response.statusCode(), "the receiver answered " + response.statusCode(),
                        true);
            }
        }, handlers);
    }

    /** Records the attempt; a failure is retried after the policy's backoff unless it gives up (or may not retry). */
    private void finished(Due callback, Instant started, Integer status, String error, boolean retryable) {
        try (MDC.MDCCloseable t = MDC.putCloseable("task_id", String.valueOf(callback.taskId()))) {
            Instant now = clock.instant();
            DeliveryAttempt attempt = new DeliveryAttempt(callback.attempt(), started,
                    Duration.between(started, now).toMillis(), status, error);
            if (error == null) {
                store.delivered(callback, attempt);
                metrics.delivery("delivered");
                return;
            }
            Instant retryAt = now.plus(policy.backoff(callback.attempt()));
            Instant due = callback.dueSince() == null ? started : callback.dueSince();
            boolean giveUp = !retryable || retryAt.isAfter(due.plus(policy.giveUpAfter()));
            store.failed(callback, attempt, giveUp ? null : retryAt);
            metrics.delivery(giveUp ? "failed" : "retry");
            if (giveUp) {
                log.warn("callback of task {} to {} failed for good after {} attempt(s): {}", callback.taskId(),
                        callback.url(), callback.attempt(), error);
            }
        } catch (RuntimeException e) {
            if (rounds.stopping()) log.info("callback {} attempt {} not recorded (stopping); it is retried when its claim "
                    + "runs out", callback.id(), callback.attempt());
            else log.error("recording callback {} attempt {} failed; it is retried when its claim runs out",
                    callback.id(), callback.attempt(), e);
        } finally {
            inFlight.release();
            wakeUp();
        }
    }

    private static String describe(Throwable error, java.net.URI url) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause instanceof java.io.IOException ? dev.weft.node.NetworkFailure.describe(cause,
                dev.weft.node.NetworkFailure.target(url))
                : dev.weft.node.NetworkFailure.message(cause);
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return "whsec_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        rounds.close();
        handlers.shutdown();   // lets deliveries in flight record their attempt before the database closes
        try {
            if (!handlers.awaitTermination(policy.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                handlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
