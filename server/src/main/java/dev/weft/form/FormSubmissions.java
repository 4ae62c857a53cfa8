package dev.weft.form;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weft.auth.Caller;
import dev.weft.builtin.FileNames;
import dev.weft.file.FileLinks;
import dev.weft.flow.InputField;
import dev.weft.flow.InvalidFlowException;
import dev.weft.flow.StartNode;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.json.Json;
import dev.weft.node.Problem;
import dev.weft.node.Problems;
import dev.weft.run.Executions;
import dev.weft.store.Accepted;
import dev.weft.store.FileRecord;
import dev.weft.store.FileTooLargeException;
import dev.weft.store.FormRecord;
import dev.weft.store.JdbcFileStore;
import dev.weft.store.JdbcFormStore;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a hosted form's submission into a task: reads the values (a multipart form, files as uploads; or a JSON
 * object, files as ids or URLs of stored files), checks them against the start node's inputs — every problem named
 * by the input's name, before anything is stored — then stores the uploads and starts the task through the same
 * checks and intake as an execute, with the submission's handle committed alongside.
 */
public final class FormSubmissions {

    /** What a file input holds until its upload is stored: an absolute URI, so the type check passes. */
    private static final String PENDING = "urn:weft:upload";

    private final FormFields fields;
    private final Executions executions;
    private final JdbcFormStore forms;
    private final JdbcFileStore files;
    private final FileLinks links;
    private final long maxFileBytes;

    public FormSubmissions(FormFields fields, Executions executions, JdbcFormStore forms, JdbcFileStore files,
                           FileLinks links, long maxFileBytes) {
        this.fields = fields;
        this.executions = executions;
        this.forms = forms;
        this.files = files;
        this.links = links;
        this.maxFileBytes = maxFileBytes;
    }

    /** Starts the task a submission to {@code form} asks for; returns the handle that reads its result. */
    public String submit(FormRecord form, Context ctx) {
        List<FormFields.Field> shown = fields.of(form.flowId());
        boolean multipart = String.valueOf(ctx.contentType()).toLowerCase(Locale.ROOT).startsWith("multipart/");
        ObjectNode data = Json.object();
        Map<String, UploadedFile> uploads = new LinkedHashMap<>();
        Problems problems = new Problems();
        ObjectNode json = multipart ? null : Bodies.object(ctx, false);
        for (FormFields.Field field : shown) {
            String name = field.input().name();
            if (multipart) readPart(ctx, field, data, uploads, problems.at(name));
            else if (json.hasNonNull(name)) data.set(name, json.get(name));
            checkChoice(field, data.get(name), problems.at(name));
        }
        List<InputField> inputs = shown.stream().map(FormFields.Field::input).toList();
        StartNode.checkRunData(inputs, Json.object(), pending(shown, data), problems);
        InvalidFlowException.throwIfAny(problems, "the form's fields are invalid");
        List<String> stored = new ArrayList<>();
        try {
            uploads.forEach((name, upload) -> {
                FileRecord file = save(name, upload, form);
                stored.add(file.id());
                data.put(name, links.url(file.id()));
            });
            String handle = FormSecrets.random();
            ObjectNode body = Json.object();
            body.putObject("node_settings").putObject(startNode(form)).set("data", data);
            Accepted accepted = executions.trigger(form.flowId(), body, Caller.ADMIN,
                    forms.submission(form.id(), FormSecrets.digest(handle)));
            if (!accepted.created()) throw new IllegalStateException("a form's task is always new");
            return handle;
        } catch (InvalidFlowException e) {
            stored.forEach(files::delete);
            throw new InvalidFlowException("the form's fields are invalid", e.problems().stream()
                    .map(p -> new Problem(p.field().replaceFirst("^node_settings\\.[^.]+\\.data\\.?", ""),
                            p.message())).toList());
        } catch (RuntimeException e) {
            stored.forEach(files::delete);   // nothing started: the uploads go too
            throw e;
        }
    }

    /**
     * {@code data} as the first check sees it: a file input that names a file stored here (by its id) holds an
     * absolute URI, as it will once the run's own checks have found the file and put in its URL.
     */
    private ObjectNode pending(List<FormFields.Field> shown, ObjectNode data) {
        ObjectNode checked = data.deepCopy();
        for (FormFields.Field field : shown) {
            JsonNode value = checked.get(field.input().name());
            if ("file".equals(field.control()) && value != null && value.isTextual()
                    && links.idOf(value.asText()).isPresent()) {
                checked.put(field.input().name(), PENDING);
            }
        }
        return checked;
    }

    /** The start node a submission fills: the one the form's fields come from. */
    private String startNode(FormRecord form) {
        return fields.startNode(form.flowId());
    }

    private void readPart(Context ctx, FormFields.Field field, ObjectNode data, Map<String, UploadedFile> uploads,
                          Problems at) {
        String name = field.input().name();
        if ("file".equals(field.control())) {
            UploadedFile upload = upload(ctx, name);
            if (upload != null && upload.size() > 0) {
                uploads.put(name, upload);
                data.put(name, PENDING);
                return;
            }
        }
        String text = ctx.formParam(name);
        if (text == null || text.isEmpty()) return;
        if ("json".equals(field.control())) {
            try {
                data.set(name, Json.read(text));
            } catch (RuntimeException e) {
                at.add("", "must be valid JSON (" + field.input().type() + ")");
            }
            return;
        }
        data.set(name, TextNode.valueOf(text));   // numbers and booleans are read from their text by the run's checks
    }

    /** The file sent as {@code name}; a form over the server's multipart limit is refused as too large. */
    private UploadedFile upload(Context ctx, String name) {
        try {
            return ctx.uploadedFile(name);
        } catch (Exception e) {   // Jetty's ServletException, thrown through Kotlin without being declared
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (String.valueOf(t.getMessage()).contains("size exceeded")) throw tooLarge(name);
            }
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "body", "is not a readable multipart form");
        }
    }

    private ApiException tooLarge(String field) {
        return new ApiException(ApiException.Kind.TOO_LARGE, field, "the file is over this Weft's limit of "
                + maxFileBytes + " bytes");
    }

    private static void checkChoice(FormFields.Field field, JsonNode value, Problems at) {
        if (field.choices().isEmpty() || value == null || value.isNull()) return;
        JsonNode typed = field.input().coerce(value);
        if (field.choices().stream().noneMatch(choice -> choice.equals(typed) || choice.asText().equals(value.asText()))) {
            at.add("", "must be one of " + String.join(", ", field.choices().stream().map(JsonNode::asText).toList()));
        }
    }

    private FileRecord save(String field, UploadedFile upload, FormRecord form) {
        String name = FileNames.clean(upload.filename() == null ? "" : upload.filename());
        String type = upload.contentType() == null || upload.contentType().isBlank()
                ? "application/octet-stream" : upload.contentType().trim();
        try (InputStream in = upload.content()) {
            return files.save(in, maxFileBytes, name.isEmpty() ? "upload" : name, type,
                    new FileRecord.Owner(null, form.flowId(), null, null));
        } catch (FileTooLargeException e) {
            throw tooLarge(field);
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be read", e);
        }
    }
}
