package dev.weft.form;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.run.TaskTriggers;
import dev.weft.store.JdbcFormStore;

/** Marks a task that a hosted form started: {@code trigger: {kind: "form", id}} (the form's id) on its JSON. */
public final class FormTriggers implements TaskTriggers {

    private final JdbcFormStore forms;

    public FormTriggers(JdbcFormStore forms) {
        this.forms = forms;
    }

    @Override
    public void mark(ObjectNode json, long taskId) {
        forms.formOfTask(taskId).ifPresent(id -> json.putObject("trigger").put("kind", "form").put("id", id));
    }
}
