package dev.weft.node;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The node types a Weft instance knows, by their {@code type} id. */
public final class NodeRegistry {

    private final Map<String, NodeType> types = new LinkedHashMap<>();

    public NodeRegistry(Collection<? extends NodeType> types) {
        for (NodeType type : types) {
            if (this.types.putIfAbsent(type.type(), type) != null) {
                throw new IllegalArgumentException("node type registered twice: " + type.type());
            }
        }
    }

    public Optional<NodeType> find(String type) {
        return Optional.ofNullable(types.get(type));
    }

    public NodeType get(String type) {
        NodeType found = types.get(type);
        if (found == null) {
            throw new IllegalStateException("unknown node type " + type + " in a validated flow");
        }
        return found;
    }

    public Collection<NodeType> all() {
        return types.values();
    }
}
