package dev.weft.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.Catalogue;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problem;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import dev.weft.node.Shape;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * A node type as the engine sees it: the author's {@link NodeType} with its catalogue entry read and its settings
 * schema compiled once, answering what the validator, the planner and the step runner ask.
 */
public final class RegisteredType {

    /** The origin of the types that ship with Weft. */
    public static final String BUILTIN = "builtin";

    private final NodeType type;
    private final String id;
    private final Catalogue catalogue;
    private final SettingsSchema schema;
    private final Run run;
    private final String origin;
    /** The top-level settings the schema wants as text: a lone reference's other value is passed as its text. */
    private final Set<String> textSettings;

    private RegisteredType(NodeType type, String origin) {
        this.type = type;
        this.id = type.id();
        this.catalogue = type.catalogue();
        this.schema = new SettingsSchema(catalogue.settingsSchema());
        this.run = type.run();
        this.origin = origin;
        this.textSettings = textProperties(catalogue.settingsSchema());
        if (id == null || !id.matches("[a-z][a-z0-9_]{0,39}")) {
            throw new IllegalStateException("node type id '" + id + "' is not a short lowercase word ([a-z][a-z0-9_]*)");
        }
        if (run == null) throw new IllegalStateException("node type " + id + " has no run");
    }

    /**
     * Reads {@code type}'s catalogue entry and compiles its schema.
     *
     * @throws IllegalStateException or another runtime exception when the type is unusable (no catalogue entry, a
     *                               schema that does not compile, an id that is not a short lowercase word)
     */
    public static RegisteredType of(NodeType type, String origin) {
        return new RegisteredType(type, origin);
    }

    /** A built-in type. */
    public static RegisteredType of(NodeType type) {
        return of(type, BUILTIN);
    }

    public String id() {
        return id;
    }

    /** {@link #BUILTIN}, or the plugin jar's file name. */
    public String origin() {
        return origin;
    }

    /** The catalogue entry, with a copy of the schema: callers may change what they get. */
    public Catalogue catalogue() {
        return catalogue.copy();
    }

    /** Whether the type's catalogue lists output field {@code field} (no copy made: asked on every poll of a task). */
    public boolean hasOutput(String field) {
        return catalogue.outputs().contains(field);
    }

    public boolean pure() {
        return run instanceof Run.Pure;
    }

    public boolean async() {
        return run instanceof Run.Async;
    }

    /** Runs one attempt of a pure or blocking type on the calling thread. */
    public NodeOutput run(NodeCall call) throws Exception {
        if (run instanceof Run.Pure pure) return pure.body().apply(call);
        if (run instanceof Run.Blocking blocking) return blocking.body().apply(call);
        throw new UnsupportedOperationException("node type " + id + " runs asynchronously");
    }

    /** Starts one attempt of an {@link #async()} type; see {@link Run.Async}. */
    public CompletionStage<NodeOutput> runAsync(NodeCall call) {
        if (run instanceof Run.Async async) return async.start().apply(call);
        throw new UnsupportedOperationException("node type " + id + " does not run asynchronously");
    }

    /** The shape of a node with these settings. */
    public Shape shape(ObjectNode settings) {
        return type.shape(settings, catalogue);
    }

    /** Output ports of a node with these settings; the first is the default one. */
    public List<String> ports(ObjectNode settings) {
        return shape(settings).ports();
    }

    /** The fields the default port emits, when known from the settings alone. */
    public Optional<List<String>> outputFields(ObjectNode settings) {
        return shape(settings).fields();
    }

    /** Whether a step of a node with these settings needs every mapped input to run. */
    public boolean needsEveryInput(ObjectNode settings) {
        return shape(settings).needsEveryInput();
    }

    public Set<String> rawSettings() {
        return catalogue.rawSettings();
    }

    public Set<String> lockedSettings() {
        return catalogue.lockedSettings();
    }

    /**
     * The settings a run rendered, as the node gets them: checked against the type's schema, so that no node checks
     * them again. Where a top-level setting's schema wants text and a lone reference produced a number, a boolean or
     * JSON, the node gets that as text, as a reference inside a longer text renders ({@code "{{start.n}}"} with
     * {@code n} 5 is {@code "5"}).
     *
     * @throws IllegalArgumentException naming each setting that breaks the schema ({@code settings.text: must be
     *                                  text (got null)})
     */
    public ObjectNode rendered(ObjectNode settings) {
        for (String name : textSettings) {
            JsonNode value = settings.get(name);
            if (value == null || value.isNull() || value.isTextual()) continue;
            settings.put(name, value.isValueNode() ? value.asText() : value.toString());
        }
        Problems problems = new Problems();
        schema.check(settings, problems, false);
        if (problems.isEmpty()) return settings;
        throw new IllegalArgumentException(problems.list().stream()
                .map(p -> (p.field().isEmpty() ? "settings" : "settings." + p.field()) + ": " + p.message())
                .collect(Collectors.joining("; ")));
    }

    private static Set<String> textProperties(ObjectNode schema) {
        Set<String> text = new HashSet<>();
        schema.path("properties").fields().forEachRemaining(property -> {
            if ("string".equals(property.getValue().path("type").asText())) text.add(property.getKey());
        });
        return Set.copyOf(text);
    }

    /**
     * Checks saved settings against the catalogue's schema (a string holding a {@code {{ }}} placeholder may stand
     * for any value), then with the type's own {@link NodeType#check}. Where the type reports a field itself, the
     * schema's word on that field is left out: the type knows more. Paths are relative to the settings object.
     */
    public void validate(ObjectNode settings, Problems problems) {
        Problems own = new Problems();
        type.check(settings, own);
        Set<String> reported = new HashSet<>();
        for (Problem problem : own.list()) reported.add(problem.field());
        Problems bySchema = new Problems();
        schema.check(settings, bySchema, true);
        for (Problem problem : bySchema.list()) {
            if (!reported.contains(problem.field())) problems.add(problem.field(), problem.message());
        }
        for (Problem problem : own.list()) problems.add(problem.field(), problem.message());
    }
}
