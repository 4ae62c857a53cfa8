package dev.weft.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.FlowDocument;
import dev.weft.flow.FlowValidator;
import dev.weft.http.ApiException;
import dev.weft.json.Json;
import dev.weft.store.FlowRecord;
import dev.weft.store.JdbcFlowStore;
import dev.weft.gallery.FlowTemplate;
import dev.weft.gallery.Gallery;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The templates gallery's API: list the shipped templates with what each needs, read one with its document, and
 * turn a {@code POST /api/v1/flows} body that names one ({@code {"template": "rag", "name": "..."}}) into the
 * document {@link FlowsApi} creates the new draft from, making and publishing the flows it refers to first.
 */
public final class TemplatesApi {

    /** The field of a create request that names a template. */
    public static final String FIELD = "template";

    private final Gallery gallery;
    private final JdbcFlowStore flows;
    private final FlowValidator validator;

    public TemplatesApi(Gallery gallery, JdbcFlowStore flows, FlowValidator validator) {
        this.gallery = gallery;
        this.flows = flows;
        this.validator = validator;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/templates", this::list);
        routes.get("/api/v1/templates/{template_id}", this::one);
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("templates");
        for (FlowTemplate template : gallery.list()) list.add(template.summary());
        ctx.json(json);
    }

    private void one(Context ctx) {
        FlowTemplate template = find(ctx.pathParam("template_id"), "template_id");
        ObjectNode json = template.summary();
        json.set("document", template.document());
        ctx.json(json);
    }

    /**
     * {@code body} itself when it names no template; else the named template's document (a Weft flow or a Scade
     * export) named by the body's {@code name} or the template's, once the flows it refers to are made and published.
     */
    ObjectNode expand(ObjectNode body) {
        if (!body.has(FIELD)) return body;
        JsonNode id = body.get(FIELD);
        if (!id.isTextual() || id.asText().isBlank()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, FIELD, "must be a template's id (one of "
                    + String.join(", ", gallery.ids()) + ")");
        }
        FlowTemplate template = find(id.asText(), FIELD);
        JsonNode name = body.get("name");
        if (name != null && !name.isNull() && !name.isTextual()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "name", "must be text: the new flow's name");
        }
        String named = name == null || name.isNull() || name.asText().isBlank() ? template.name() : name.asText().trim();
        Map<String, Long> made = new LinkedHashMap<>();
        for (String companion : template.companions()) {
            FlowTemplate used = gallery.find(companion).orElseThrow();
            JsonNode document = FlowDocument.withNodeIds(used.document(used.name() + " (for " + named + ")", Map.of()));
            validator.check(document);
            FlowRecord flow = flows.create(document.path("name").asText(), document);
            flows.publish(flow.id(), document);
            made.put(companion, flow.id());
        }
        return template.document(named, made);
    }

    private FlowTemplate find(String id, String field) {
        return gallery.find(id).orElseThrow(() -> new ApiException(ApiException.Kind.NOT_FOUND, field,
                "template '" + id + "' does not exist (templates: " + String.join(", ", gallery.ids()) + ")"));
    }
}
