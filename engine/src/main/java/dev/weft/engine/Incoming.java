package dev.weft.engine;

import dev.weft.flow.PortRef;

/** One field mapping into a node, resolved against its source node's ports. */
record Incoming(String fromNode, PortRef ref, String toField) {

    boolean runAfterOnly() {
        return dev.weft.flow.FieldMapping.RUN_AFTER.equals(toField);
    }
}
