package dev.weft.manage;

import dev.weft.auth.SessionFilter;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.http.TaskJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.FlowDocument;
import dev.weft.flow.FlowValidator;
import dev.weft.flow.InvalidFlowException;
import dev.weft.flow.ScadePlaceholderNode;
import dev.weft.flow.ScadeImport;
import dev.weft.json.Json;
import dev.weft.node.Problems;
import dev.weft.store.FlowRecord;
import dev.weft.run.DraftDocuments;
import dev.weft.store.FlowVersion;
import dev.weft.store.JdbcFlowStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The management API for flows: create (a Weft document or a Scade export, whose import report the answer
 * carries), read, list, update the draft, delete, publish immutable versions (refused while the draft holds a
 * Scade placeholder). Every document is validated before anything is stored. A body naming a template
 * ({@link TemplatesApi}) creates the draft from the template's document.
 */
public final class FlowsApi {

    /** The User-Agent the {@code weft} command sends: a version it publishes is recorded as the CLI's. */
    public static final String CLI_USER_AGENT = "weft-cli";

    private final JdbcFlowStore flows;
    private final FlowValidator validator;
    private final TemplatesApi templates;

    public FlowsApi(JdbcFlowStore flows, FlowValidator validator, TemplatesApi templates) {
        this.flows = flows;
        this.validator = validator;
        this.templates = templates;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/flows", this::create);
        routes.get("/api/v1/flows", this::list);
        routes.get("/api/v1/flows/{flow_id}", ctx -> ctx.json(flowJson(find(ctx), true)));
        routes.put("/api/v1/flows/{flow_id}", this::update);
        routes.delete("/api/v1/flows/{flow_id}", this::delete);
        routes.post("/api/v1/flows/{flow_id}/publish", this::publish);
        routes.get("/api/v1/flows/{flow_id}/versions", this::versions);
        routes.get("/api/v1/flows/{flow_id}/versions/{version}", this::version);
    }

    private void create(Context ctx) {
        ObjectNode body = templates.expand(Bodies.object(ctx, false));   // {"template": id} names a template's document
        ScadeImport.Imported imported = ScadeImport.isScadeExport(body)
                ? ScadeImport.convert(body, validator.registry()) : null;
        JsonNode document = checked(imported == null ? body : imported.document());
        FlowRecord flow = flows.create(name(document), document, dev.weft.auth.Caller.workspaceOf(ctx));
        ObjectNode json = flowJson(flow, true);
        if (imported != null) json.set("import", imported.report());
        ctx.status(201).header("Location", "/api/v1/flows/" + flow.id()).json(json);
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("flows");
        for (FlowRecord flow : flows.list(dev.weft.auth.Caller.workspaceOf(ctx))) list.add(flowJson(flow, false));
        ctx.json(json);
    }

    private void update(Context ctx) {
        long id = find(ctx).id();
        ObjectNode body = Bodies.object(ctx, false);
        JsonNode document = FlowDocument.withNodeIds(ScadeImport.isScadeExport(body)
                ? ScadeImport.convert(body, validator.registry()).document() : body);
        validator.checkDraft(document);   // a node not connected yet may be saved; publishing refuses it
        ctx.json(flowJson(flows.updateDraft(id, name(document), document), true));
    }

    private void delete(Context ctx) {
        flows.delete(find(ctx).id());
        ctx.status(204);
    }

    private void publish(Context ctx) {
        FlowRecord flow = find(ctx);
        validator.check(flow.draft());   // node types or rules may have changed since the draft was saved
        Problems placeholders = new Problems();
        ScadePlaceholderNode.problems(flow.draft(), "publishing", placeholders);
        InvalidFlowException.throwIfAny(placeholders, "the flow has nodes that need replacing before publishing");
        FlowVersion version = flows.publish(flow.id(), DraftDocuments.withoutPins(flow.draft()), publisher(ctx));
        ctx.status(201).json(versionJson(version, false));
    }

    private void versions(Context ctx) {
        FlowRecord flow = find(ctx);
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("versions");
        for (FlowVersion version : flows.versions(flow.id())) list.add(versionJson(version, false));
        ctx.json(json);
    }

    private void version(Context ctx) {
        FlowRecord flow = find(ctx);
        long number = Bodies.id(ctx, "version", "version");
        FlowVersion version = flows.version(flow.id(), (int) Math.min(number, Integer.MAX_VALUE)).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "version", "flow " + flow.id() + " has no version " + number));
        ctx.json(versionJson(version, true));
    }

    /** Who publishes: the UI's session, the CLI (its User-Agent) or another holder of the admin token. */
    static String publisher(Context ctx) {
        if (Boolean.TRUE.equals(ctx.attribute(SessionFilter.SESSION_ATTRIBUTE))) return "admin session";
        String agent = ctx.header("User-Agent");
        return agent != null && agent.startsWith(CLI_USER_AGENT) ? "admin token (CLI)" : "admin token";
    }

    /** Gives unnamed nodes ids, and validates; throws 400 listing every problem. */
    private JsonNode checked(JsonNode document) {
        document = FlowDocument.withNodeIds(document);
        validator.check(document);
        return document;
    }

    private static String name(JsonNode document) {
        String name = document.path("name").asText("");
        return name.isBlank() ? "Untitled flow" : name;
    }

    private FlowRecord find(Context ctx) {
        long id = Bodies.id(ctx, "flow_id", "flow");
        return flows.get(id).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "flow_id", "flow " + id + " does not exist"));
    }

    static ObjectNode flowJson(FlowRecord flow, boolean withDocument) {
        ObjectNode json = Json.object();
        json.put("id", flow.id());
        json.put("name", flow.name());
        if (flow.latestVersion() == null) json.putNull("latest_version");
        else json.put("latest_version", flow.latestVersion());
        TaskJson.time(json, "created_at", flow.createdAt());
        TaskJson.time(json, "updated_at", flow.updatedAt());
        if (withDocument) json.set("document", flow.draft());
        return json;
    }

    static ObjectNode versionJson(FlowVersion version, boolean withDocument) {
        ObjectNode json = Json.object();
        json.put("flow_id", version.flowId());
        json.put("version", version.version());
        TaskJson.time(json, "created_at", version.createdAt());
        if (version.publishedBy() == null) json.putNull("published_by");
        else json.put("published_by", version.publishedBy());
        if (withDocument) json.set("document", version.document());
        return json;
    }
}
