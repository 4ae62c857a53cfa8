package dev.weft.event;

import dev.weft.engine.TaskListener;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics, every name prefixed {@code weft_}: tasks accepted and finished (by status), queue depth, step
 * durations per node type (histograms), worker slots in use and utilization, open event streams, callback
 * deliveries, model calls and tokens ({@code weft_llm_*}), plus the JVM's. Counters count this process's events; the queue depth is the shared queue's.
 */
public final class Metrics implements TaskListener {

    /** The queue depth is read from the database at most this often, however often Prometheus scrapes. */
    public static final Duration QUEUE_DEPTH_CACHE = Duration.ofSeconds(1);
    /** The node types whose finished steps count as model calls. */
    static final Set<String> LLM_TYPES = Set.of("llm", "agent");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter accepted;
    private final Map<String, Counter> finished = new ConcurrentHashMap<>();
    private final Map<String, Timer> steps = new ConcurrentHashMap<>();
    private final DistributionSummary stepAttempts;
    private volatile long queueDepth;
    private volatile long queueReadAt = Long.MIN_VALUE;

    public Metrics() {
        accepted = Counter.builder("weft_tasks_accepted").description("tasks accepted by this process")
                .register(registry);
        stepAttempts = DistributionSummary.builder("weft_step_attempts").description("attempts per finished step")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** Counts a task accepted here. */
    public void accepted() {
        accepted.increment();
    }

    /**
     * Exposes the queue depth (read from the database, cached), and the worker's slots in use and utilization;
     * {@code slots} is 0 in a process that runs no tasks.
     */
    public void watch(LongSupplier queued, int slots, LongSupplier freeSlots) {
        Gauge.builder("weft_queue_depth", this, m -> m.queueDepth(queued))
                .description("tasks waiting in the queue (all processes)").register(registry);
        Gauge.builder("weft_worker_slots", () -> slots).description("task slots of this process's worker")
                .register(registry);
        Gauge.builder("weft_worker_busy_slots", () -> slots - freeSlots.getAsLong())
                .description("task slots in use").register(registry);
        Gauge.builder("weft_worker_utilization", () -> slots == 0 ? 0 : (slots - freeSlots.getAsLong()) / (double) slots)
                .description("share of the worker's slots in use (0 to 1)").register(registry);
    }

    /** A gauge read from {@code source} at each scrape. */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    /** Counts a callback delivery attempt by its outcome ({@code delivered}, {@code retry}, {@code failed}). */
    public void delivery(String outcome) {
        Counter.builder("weft_callback_deliveries").tag("outcome", outcome).register(registry).increment();
    }

    private double queueDepth(LongSupplier queued) {
        long now = System.nanoTime();
        if (now - queueReadAt > QUEUE_DEPTH_CACHE.toNanos()) {
            try {
                queueDepth = queued.getAsLong();
            } catch (RuntimeException e) {
                // the database did not answer: the last value stands
            }
            queueReadAt = now;
        }
        return queueDepth;
    }

    @Override
    public void stepFinished(long taskId, StepRecord step) {
        if (step.startedAt() == null || step.finishedAt() == null || step.attempts().isEmpty()) return;   // skipped
        steps.computeIfAbsent(step.type(), type -> Timer.builder("weft_step_duration").tag("node_type", type)
                        .tag("state", "any").description("time from a step's first start to its end, by node type")
                        .publishPercentileHistogram().register(registry))
                .record(Duration.between(step.startedAt(), step.finishedAt()));
        stepAttempts.record(step.attempts().size());
        if (LLM_TYPES.contains(step.type())) llmCall(step);
    }

    /**
     * Counts a finished model step: {@code weft_llm_calls_total{provider,model,outcome}} (ok or failed) and
     * {@code weft_llm_tokens_total{provider,model,kind}} (input, output). A failed step has no outputs to name its
     * provider and model: it counts under {@code unknown}.
     */
    private void llmCall(StepRecord step) {
        LlmUsage.Call call = LlmUsage.Call.of(step).orElse(null);
        String provider = call == null ? "unknown" : call.provider();
        String model = call == null ? "unknown" : call.model();
        Counter.builder("weft_llm_calls").description("finished llm and agent steps, by provider, model and outcome")
                .tag("provider", provider).tag("model", model)
                .tag("outcome", step.state() == StepState.DONE ? "ok" : "failed").register(registry).increment();
        if (call == null) return;
        Counter.builder("weft_llm_tokens").description("tokens of finished llm and agent steps, by provider, model and kind")
                .tag("provider", provider).tag("model", model).tag("kind", "input").register(registry).increment(call.input());
        Counter.builder("weft_llm_tokens").description("tokens of finished llm and agent steps, by provider, model and kind")
                .tag("provider", provider).tag("model", model).tag("kind", "output").register(registry).increment(call.output());
    }

    @Override
    public void taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        finished.computeIfAbsent(outcome.state().word(), state -> Counter.builder("weft_tasks_finished")
                .tag("status", state).description("tasks that ended here, by status").register(registry)).increment();
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
