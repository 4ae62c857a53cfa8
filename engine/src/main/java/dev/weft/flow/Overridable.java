package dev.weft.flow;

import dev.weft.node.Problems;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which of a node's settings a run may replace through {@code node_settings[id].data}: the flow author's choice
 * for the node ({@code "overridable"} in the flow document). A start node's inputs are always open to a run.
 */
public sealed interface Overridable permits Overridable.Unlocked, Overridable.All, Overridable.Only {

    /** No {@code overridable} on the node: every setting except the ones its type locks. */
    Overridable DEFAULT = new Unlocked();

    /** Whether a run may replace {@code setting}, given the settings the node's type locks unless opened. */
    boolean allows(String setting, Set<String> locked);

    /** The default: any setting the node's type does not lock. */
    record Unlocked() implements Overridable {
        @Override
        public boolean allows(String setting, Set<String> locked) {
            return !locked.contains(setting);
        }
    }

    /** {@code "overridable": true}: every setting, locked ones included. */
    record All() implements Overridable {
        @Override
        public boolean allows(String setting, Set<String> locked) {
            return true;
        }
    }

    /** {@code "overridable": ["url", ...]} (or {@code false}, none): exactly the settings named. */
    record Only(Set<String> settings) implements Overridable {
        public Only {
            settings = Set.copyOf(settings);
        }

        @Override
        public boolean allows(String setting, Set<String> locked) {
            return settings.contains(setting);
        }
    }

    /**
     * Reads a node's {@code overridable} field: absent or null, {@code true}, {@code false} or an array of setting
     * names. A bad value is a problem named {@code overridable} and reads as the default.
     */
    static Overridable parse(JsonNode json, Problems problems) {
        if (json == null || json.isNull() || json.isMissingNode()) return DEFAULT;
        if (json.isBoolean()) return json.asBoolean() ? new All() : new Only(Set.of());
        String expected = "must be true (every setting), false (none) or an array of setting names";
        if (!json.isArray()) {
            problems.add("overridable", expected);
            return DEFAULT;
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < json.size(); i++) {
            JsonNode name = json.get(i);
            if (!name.isTextual() || name.asText().isEmpty()) {
                problems.add("overridable[" + i + "]", "must be a setting name (a non-empty string); the field " + expected);
            } else {
                names.add(name.asText());
            }
        }
        return new Only(names);
    }
}
