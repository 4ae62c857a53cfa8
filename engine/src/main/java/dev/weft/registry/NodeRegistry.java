package dev.weft.registry;

import dev.weft.node.NodeType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/** The node types a Weft instance knows, by their id: the built-ins, then any from plugins. */
public final class NodeRegistry {

    private final Map<String, RegisteredType> types = new LinkedHashMap<>();

    /** Registers {@code types}; an id given twice is a bug and throws. */
    public NodeRegistry(Collection<? extends NodeType> types) {
        this(types, List.of(), (type, reason) -> {});
    }

    /**
     * Registers {@code types}, then each of {@code more} (types from plugins) whose id is free; one whose id is
     * taken is passed to {@code refused} with the reason, and left out.
     */
    public NodeRegistry(Collection<? extends NodeType> types, Collection<RegisteredType> more,
                        BiConsumer<RegisteredType, String> refused) {
        for (NodeType type : types) {
            RegisteredType registered = RegisteredType.of(type);
            if (this.types.putIfAbsent(registered.id(), registered) != null) {
                throw new IllegalArgumentException("node type registered twice: " + registered.id());
            }
        }
        for (RegisteredType type : more) {
            RegisteredType taken = this.types.putIfAbsent(type.id(), type);
            if (taken != null) {
                refused.accept(type, "node type id '" + type.id() + "' is taken by "
                        + (RegisteredType.BUILTIN.equals(taken.origin()) ? "a built-in node type" : taken.origin()));
            }
        }
    }

    public Optional<RegisteredType> find(String type) {
        return Optional.ofNullable(types.get(type));
    }

    public RegisteredType get(String type) {
        RegisteredType found = types.get(type);
        if (found == null) {
            throw new IllegalStateException("unknown node type " + type + " in a validated flow");
        }
        return found;
    }

    public Collection<RegisteredType> all() {
        return types.values();
    }
}
