package dev.weft.form;

import dev.weft.auth.PasswordHasher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.auth.AdminPassword;
import dev.weft.file.FileLinks;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.json.Json;
import dev.weft.store.FlowRecord;
import dev.weft.store.FormRecord;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcFormStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;

/**
 * The management API of hosted forms (admin token or session, as every {@code /api/v1/flows} route): a published
 * flow's forms are created, listed, read, changed (title, description, password set or cleared, enabled),
 * deleted (the link then answers 404) and given a new link ({@code rotate}: the old one answers 404).
 */
public final class FormsApi {

    public static final String PATH = "/api/v1/flows/{flow_id}/forms";
    static final int TITLE_MAX = 200;
    static final int DESCRIPTION_MAX = 4000;
    private static final Set<String> FIELDS = Set.of("title", "description", "password", "enabled");

    private final JdbcFormStore forms;
    private final JdbcFlowStore flows;
    private final PasswordHasher passwords;
    private final FileLinks links;

    public FormsApi(JdbcFormStore forms, JdbcFlowStore flows, PasswordHasher passwords, FileLinks links) {
        this.forms = forms;
        this.flows = flows;
        this.passwords = passwords;
        this.links = links;
    }

    public void register(RoutesConfig routes) {
        routes.get(PATH, this::list);
        routes.post(PATH, this::create);
        routes.get(PATH + "/{form_id}", ctx -> ctx.json(json(find(ctx))));
        routes.patch(PATH + "/{form_id}", this::update);
        routes.delete(PATH + "/{form_id}", this::delete);
        routes.post(PATH + "/{form_id}/rotate", this::rotate);
    }

    private void list(Context ctx) {
        long flowId = flow(ctx).id();
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("forms");
        for (FormRecord form : forms.list(flowId)) list.add(json(form));
        ctx.json(json);
    }

    private void create(Context ctx) {
        FlowRecord flow = flow(ctx);
        ObjectNode body = Bodies.object(ctx, false);
        if (flows.latestVersionNumber(flow.id()).flatMap(latest -> latest).isEmpty()) {
            throw new ApiException(ApiException.Kind.NOT_PUBLISHED, "flow_id", "flow " + flow.id() + " has no"
                    + " published version yet: publish it before sharing it as a form");
        }
        FormRecord.Settings fresh = new FormRecord.Settings(FormSecrets.random(), flow.name(), "", null,
                FormSecrets.random(), true);
        FormRecord made = forms.create(flow.id(), apply(body, fresh));
        ctx.status(201).json(json(made));
    }

    private void update(Context ctx) {
        FormRecord form = find(ctx);
        FormRecord.Settings changed = apply(Bodies.object(ctx, false), form.settings());
        ctx.json(json(forms.update(form.flowId(), form.id(), changed).orElseThrow(this::notFound)));
    }

    private void rotate(Context ctx) {
        FormRecord form = find(ctx);
        FormRecord.Settings s = form.settings();
        FormRecord.Settings rotated = new FormRecord.Settings(FormSecrets.random(), s.title(), s.description(),
                s.password(), FormSecrets.random(), s.enabled());
        ctx.json(json(forms.update(form.flowId(), form.id(), rotated).orElseThrow(this::notFound)));
    }

    private void delete(Context ctx) {
        FormRecord form = find(ctx);
        if (!forms.delete(form.flowId(), form.id())) throw notFound();
        ctx.status(204);
    }

    /** {@code settings} with what {@code body} changes; every problem is a 400 naming the field, nothing stored. */
    private FormRecord.Settings apply(ObjectNode body, FormRecord.Settings settings) {
        for (String name : (Iterable<String>) body::fieldNames) {
            if (!FIELDS.contains(name)) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, name, "is not a setting of a form (settings:"
                        + " title, description, password, enabled)");
            }
        }
        String title = text(body, "title", settings.title(), TITLE_MAX);
        if (title.isBlank()) throw new ApiException(ApiException.Kind.INVALID_INPUT, "title", "must not be empty");
        String description = text(body, "description", settings.description(), DESCRIPTION_MAX);
        String password = settings.password();
        String cookieKey = settings.cookieKey();
        if (body.has("password")) {
            JsonNode given = body.get("password");
            if (given.isNull()) {
                password = null;
            } else {
                String problem = given.isTextual() ? AdminPassword.problem(given.asText()) : "must be a string, or"
                        + " null to clear the password";
                if (problem != null) throw new ApiException(ApiException.Kind.INVALID_INPUT, "password", problem);
                password = passwords.hash(given.asText());
            }
            cookieKey = FormSecrets.random();   // pages unlocked with the old password lock again
        }
        boolean enabled = settings.enabled();
        if (body.has("enabled")) {
            if (!body.get("enabled").isBoolean()) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "enabled", "must be true or false");
            }
            enabled = body.get("enabled").asBoolean();
        }
        return new FormRecord.Settings(settings.token(), title.strip(), description, password, cookieKey, enabled);
    }

    private static String text(ObjectNode body, String field, String current, int max) {
        if (!body.has(field)) return current;
        JsonNode value = body.get(field);
        if (!value.isTextual()) throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "must be a string");
        if (value.asText().length() > max) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "must have at most " + max + " characters");
        }
        return value.asText();
    }

    private FlowRecord flow(Context ctx) {
        long id = Bodies.id(ctx, "flow_id", "flow");
        return flows.get(id).orElseThrow(() -> new ApiException(ApiException.Kind.NOT_FOUND, "flow_id",
                "flow " + id + " does not exist"));
    }

    private FormRecord find(Context ctx) {
        long flowId = flow(ctx).id();
        long id = Bodies.id(ctx, "form_id", "form");
        return forms.find(flowId, id).orElseThrow(this::notFound);
    }

    private ApiException notFound() {
        return new ApiException(ApiException.Kind.NOT_FOUND, "form_id", "this flow has no such form");
    }

    /** A form as the API shows it: never its password hash nor its cookie key. */
    ObjectNode json(FormRecord form) {
        ObjectNode json = Json.object();
        json.put("id", form.id());
        json.put("flow_id", form.flowId());
        json.put("token", form.token());
        json.put("path", PublicForms.PREFIX + form.token());
        json.put("url", links.base() + PublicForms.PREFIX + form.token());
        json.put("title", form.title());
        json.put("description", form.description());
        json.put("password_set", form.locked());
        json.put("enabled", form.enabled());
        json.put("created_at", form.createdAt().toString());
        json.put("updated_at", form.updatedAt().toString());
        return json;
    }
}
