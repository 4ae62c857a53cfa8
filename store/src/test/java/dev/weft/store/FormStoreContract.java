package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hosted forms' contract: every database Weft runs on keeps forms and their submissions the same way. */
abstract class FormStoreContract {

    final ManualClock clock = new ManualClock();
    @TempDir
    Path folder;
    Database database;
    JdbcFormStore forms;
    JdbcFlowStore flows;
    long flowId;

    /** A fresh, empty, migrated database for one test. */
    abstract Database openFresh();

    @BeforeEach
    void open() {
        database = openFresh();
        forms = new JdbcFormStore(database, clock);
        flows = new JdbcFlowStore(database, clock);
        JsonNode doc = Flows.flow().start("start").end("end", "out").edge("start", "end", "success -> out").document();
        flowId = flows.create("shared", doc).id();
        flows.publish(flowId, doc);
    }

    @AfterEach
    void close() {
        database.close();
    }

    static FormRecord.Settings settings(String token, String password) {
        return new FormRecord.Settings(token, "Ask", "Tell us", password, "key-" + token, true);
    }

    @Test
    void a_created_form_is_found_by_its_flow_and_by_its_token_with_every_setting() {
        FormRecord made = forms.create(flowId, settings("tok1", "pbkdf2-sha256$1$a$b"));

        assertThat(made.flowId()).isEqualTo(flowId);
        assertThat(made.settings()).isEqualTo(settings("tok1", "pbkdf2-sha256$1$a$b"));
        assertThat(made.locked()).isTrue();
        assertThat(made.createdAt()).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        assertThat(forms.find(flowId, made.id())).contains(made);
        assertThat(forms.byToken("tok1")).contains(made);
        assertThat(forms.list(flowId)).containsExactly(made);
        assertThat(forms.find(flowId + 1, made.id())).as("another flow's id does not reach it").isEmpty();
    }

    @Test
    void an_update_replaces_the_settings_and_the_old_token_no_longer_finds_the_form() {
        FormRecord made = forms.create(flowId, settings("old", null));
        clock.advance(Duration.ofSeconds(5));

        FormRecord.Settings changed = new FormRecord.Settings("new", "Other", "", null, "k2", false);
        FormRecord updated = forms.update(flowId, made.id(), changed).orElseThrow();

        assertThat(updated.settings()).isEqualTo(changed);
        assertThat(updated.locked()).isFalse();
        assertThat(updated.updatedAt()).isAfter(made.updatedAt());
        assertThat(forms.byToken("old")).isEmpty();
        assertThat(forms.byToken("new")).contains(updated);
        assertThat(forms.update(flowId + 1, made.id(), changed)).isEmpty();
    }

    @Test
    void a_deleted_form_is_gone_but_the_task_it_started_still_names_it() {
        FormRecord made = forms.create(flowId, settings("gone", null));
        JdbcTaskStore tasks = new JdbcTaskStore(database, flows, clock, "a", Duration.ofSeconds(30));
        long taskId = tasks.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null),
                StartMode.QUEUED, forms.submission(made.id(), "digest1")).task().id();

        assertThat(forms.submittedTask(made.id(), "digest1")).contains(taskId);
        assertThat(forms.submittedTask(made.id(), "digest2")).isEmpty();
        JdbcTaskTriggers triggers = new JdbcTaskTriggers(database);
        assertThat(triggers.of(taskId)).contains(new JdbcTaskTriggers.Trigger(taskId, "form", String.valueOf(made.id()), null));

        assertThat(forms.delete(flowId, made.id())).isTrue();
        assertThat(forms.delete(flowId, made.id())).isFalse();
        assertThat(forms.byToken("gone")).isEmpty();
        assertThat(forms.list(flowId)).isEmpty();
        assertThat(triggers.of(taskId)).map(JdbcTaskTriggers.Trigger::id).contains(String.valueOf(made.id()));
    }

    @Test
    void a_task_not_started_by_a_form_names_none() {
        JdbcTaskStore tasks = new JdbcTaskStore(database, flows, clock, "a", Duration.ofSeconds(30));
        long taskId = tasks.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null),
                StartMode.QUEUED, AcceptHook.NONE).task().id();

        assertThat(new JdbcTaskTriggers(database).of(taskId)).isEmpty();
    }
}
