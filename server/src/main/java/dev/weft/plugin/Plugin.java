package dev.weft.plugin;

import java.util.List;

/** A plugin jar that was loaded, and the ids of the node types it added. */
public record Plugin(String jar, List<String> nodeTypes) {

    public Plugin {
        nodeTypes = List.copyOf(nodeTypes);
    }
}
