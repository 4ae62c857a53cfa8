package dev.weft.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeType;
import dev.weft.node.Problem;
import dev.weft.node.Problems;
import dev.weft.registry.RegisteredType;
import java.time.Duration;
import java.util.List;

/** Builds node calls and settings for tests, with JSON written in single quotes for readability. */
final class Calls {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Calls() {}

    /** Parses JSON written with single quotes ({@code {'a': 1}}); the text must not need a real apostrophe. */
    static ObjectNode json(String singleQuoted) {
        return (ObjectNode) Json.read(singleQuoted.replace('\'', '"'));
    }

    static NodeCall call(String settings) {
        return call(settings, "{}");
    }

    static NodeCall call(String settings, String inputs) {
        return call(json(settings), json(inputs));
    }

    static NodeCall call(ObjectNode settings, ObjectNode inputs) {
        return new NodeCall(1, "node", settings, inputs, 1, TIMEOUT);
    }

    /** A call with the settings as a run renders them: checked by the registry, a lone reference's value as text. */
    static NodeCall rendered(NodeType type, String settings) {
        return call(RegisteredType.of(type).rendered(json(settings)), json("{}"));
    }

    /** Every problem {@code type} finds in the settings, as "path: message". */
    static List<String> problems(NodeType type, String settings) {
        Problems problems = new Problems();
        RegisteredType.of(type).validate(json(settings), problems);
        return problems.list().stream().map(Problem::toString).toList();
    }
}
