package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.ManualClock;
import dev.weft.json.Json;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook store's contract on every database: webhooks found by their token's hash until revoked or rotated,
 * the mark committed with the task it names, and a delivery key claimed once within its window.
 */
abstract class WebhookStoreContract {

    static final Duration WINDOW = Duration.ofMinutes(10);

    final ManualClock clock = new ManualClock();
    @TempDir
    java.nio.file.Path folder;
    Database database;
    JdbcWebhookStore webhooks;
    JdbcTaskStore tasks;
    long flowId;

    /** A fresh, empty, migrated database for one test. */
    abstract Database openFresh();

    @BeforeEach
    void open() {
        database = openFresh();
        JdbcFlowStore flows = new JdbcFlowStore(database, clock);
        var doc = Flows.flow().start("start").node("work", "block").end("end", "out")
                .edge("start", "work", "success -> @").edge("work", "end", "success -> out").document();
        flowId = flows.create("hooked", doc).id();
        flows.publish(flowId, doc);
        webhooks = new JdbcWebhookStore(database, clock);
        tasks = new JdbcTaskStore(database, flows, clock, "test-owner", Duration.ofSeconds(30));
    }

    @AfterEach
    void close() {
        database.close();
    }

    private Accepted accept(AcceptHook hook) {
        return tasks.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null), StartMode.QUEUED,
                hook);
    }

    @Test
    void a_webhook_is_found_by_its_token_hash_until_rotated_and_revoked_ones_are_kept() {
        WebhookRecord made = webhooks.create("wh_1", flowId, "push", "hash-1", Json.read("{\"mapping\": null}"));

        assertThat(webhooks.findByToken("hash-1")).contains(made);
        assertThat(made.live()).isTrue();
        assertThat(webhooks.ofFlow(flowId)).containsExactly(made);

        assertThat(webhooks.revoke("wh_1")).isTrue();
        assertThat(webhooks.revoke("wh_1")).isFalse();
        assertThat(webhooks.findByToken("hash-1").orElseThrow().live()).isFalse();

        clock.advance(Duration.ofSeconds(5));
        WebhookRecord rotated = webhooks.rotate("wh_1", "hash-2").orElseThrow();
        assertThat(rotated.live()).isTrue();
        assertThat(rotated.rotatedAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(webhooks.findByToken("hash-1")).isEmpty();
        assertThat(webhooks.findByToken("hash-2")).map(WebhookRecord::id).contains("wh_1");

        WebhookRecord renamed = webhooks.update("wh_1", "pushes", Json.read("{\"mapping\": \"body\"}")).orElseThrow();
        assertThat(renamed.name()).isEqualTo("pushes");
        assertThat(renamed.settings().path("mapping").asText()).isEqualTo("body");
        assertThat(webhooks.update("wh_none", "x", Json.object())).isEmpty();
        assertThat(webhooks.delete("wh_1")).isTrue();
        assertThat(webhooks.find("wh_1")).isEmpty();
    }

    @Test
    void the_mark_commits_with_its_task_and_lists_it_with_the_webhook() {
        webhooks.create("wh_2", flowId, "marks", "hash-m", Json.object());

        long first = accept(webhooks.mark("wh_2", null, WINDOW)).task().id();
        long other = accept(AcceptHook.NONE).task().id();
        long second = accept(webhooks.mark("wh_2", null, WINDOW)).task().id();

        JdbcTaskTriggers triggers = new JdbcTaskTriggers(database);
        assertThat(triggers.of(first)).contains(new JdbcTaskTriggers.Trigger(first, "webhook", "wh_2", null));
        assertThat(triggers.of(other)).isEmpty();
        assertThat(triggers.of(java.util.List.of(first, other, second))).containsOnlyKeys(first, second);
        assertThat(webhooks.tasks("wh_2", Long.MAX_VALUE, 50)).extracting(TaskRecord::id).containsExactly(second, first);
        assertThat(webhooks.tasks("wh_2", second, 50)).extracting(TaskRecord::id).containsExactly(first);
    }

    @Test
    void a_delivery_key_is_accepted_once_within_its_window_and_again_after_it() {
        webhooks.create("wh_3", flowId, "stripe", "hash-s", Json.object());

        JdbcWebhookStore.Mark firstMark = webhooks.mark("wh_3", "stripe:1:abc", WINDOW);
        Accepted first = accept(firstMark);
        JdbcWebhookStore.Mark replayMark = webhooks.mark("wh_3", "stripe:1:abc", WINDOW);
        Accepted replay = accept(replayMark);
        Accepted otherWebhook = accept(webhooks.mark("wh_other", "stripe:1:abc", WINDOW));

        assertThat(first.created()).isTrue();
        assertThat(firstMark.replayed()).isFalse();
        assertThat(replay.created()).isFalse();
        assertThat(replayMark.replayed()).isTrue();
        assertThat(replay.task().id()).isEqualTo(first.task().id());
        assertThat(otherWebhook.created()).isTrue();
        assertThat(webhooks.tasks("wh_3", Long.MAX_VALUE, 50)).hasSize(1);

        clock.advance(WINDOW.plusSeconds(1));
        JdbcWebhookStore.Mark late = webhooks.mark("wh_3", "stripe:1:abc", WINDOW);
        assertThat(accept(late).created()).isTrue();
        assertThat(late.replayed()).isFalse();
    }
}
