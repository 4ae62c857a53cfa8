package dev.weft.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.FlowValidator;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.store.FlowRecord;
import dev.weft.store.FlowVersion;
import dev.weft.store.JdbcFlowStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * Version history beyond listing (admin token): the structured diff of a published version against the draft or
 * another version, computed here so that scripts get the same answer as the Versions page, and "restore as draft",
 * which makes a version's document the draft again and leaves every published version as it was.
 */
public final class VersionsApi {

    /** What {@code against} may name: the draft, or a version number. */
    static final String DRAFT = "draft";
    private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,9}");

    private final JdbcFlowStore flows;
    private final FlowValidator validator;

    public VersionsApi(JdbcFlowStore flows, FlowValidator validator) {
        this.flows = flows;
        this.validator = validator;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/flows/{flow_id}/versions/{version}/diff", this::diff);
        routes.post("/api/v1/flows/{flow_id}/versions/{version}/restore", this::restore);
    }

    /** {@code ?against=draft} (the default) or {@code ?against=<n>}: {@code before} is that side, {@code after} the version. */
    private void diff(Context ctx) {
        FlowRecord flow = flow(ctx);
        FlowVersion version = version(ctx, flow);
        String against = ctx.queryParam("against");
        if (against == null || against.isBlank()) against = DRAFT;
        JsonNode before;
        if (against.equals(DRAFT)) {
            before = flow.draft();
        } else if (NUMBER.matcher(against).matches() && Long.parseLong(against) <= Integer.MAX_VALUE) {
            int number = Integer.parseInt(against);
            before = flows.version(flow.id(), number).orElseThrow(() -> new ApiException(ApiException.Kind.NOT_FOUND,
                    "against", "flow " + flow.id() + " has no version " + number)).document();
        } else {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "against",
                    "must be 'draft' or a version number such as 1 (got '" + against + "')");
        }
        ObjectNode json = VersionDiff.between(before, version.document());
        json.put("flow_id", flow.id());
        json.put("version", version.version());
        if (against.equals(DRAFT)) json.put("against", DRAFT);
        else json.put("against", Integer.parseInt(against));
        ctx.json(json);
    }

    /** The version's document becomes the draft (checked first, as any draft is); 200 with the flow. */
    private void restore(Context ctx) {
        FlowRecord flow = flow(ctx);
        FlowVersion version = version(ctx, flow);
        JsonNode document = version.document();
        validator.check(document);   // node types or rules may have changed since it was published
        String name = document.path("name").asText("");
        FlowRecord restored = flows.updateDraft(flow.id(), name.isBlank() ? "Untitled flow" : name, document);
        ObjectNode json = FlowsApi.flowJson(restored, true);
        json.put("restored_version", version.version());
        ctx.json(json);
    }

    private FlowRecord flow(Context ctx) {
        long id = Bodies.id(ctx, "flow_id", "flow");
        return flows.get(id).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "flow_id", "flow " + id + " does not exist"));
    }

    private FlowVersion version(Context ctx, FlowRecord flow) {
        long number = Bodies.id(ctx, "version", "version");
        return flows.version(flow.id(), (int) Math.min(number, Integer.MAX_VALUE)).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "version", "flow " + flow.id() + " has no version " + number));
    }
}
