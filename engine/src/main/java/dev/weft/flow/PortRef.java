package dev.weft.flow;

import dev.weft.node.NodeType;
import java.util.List;

/**
 * How a mapping's {@code from_field} reads a source node's output: a whole port ({@code success},
 * {@code true}), a field of a port ({@code true.value}), or a field of the default (first) port
 * ({@code text}, {@code body.items.0}). {@code field} is null when the whole port's data is meant.
 *
 * <p>Every node with ports also has the {@value NodeType#ERROR} port, on which the engine emits a failed step's
 * error when the node's {@code on_error} is {@code continue}; a default-port field named {@code error} is read
 * as {@code success.error}.
 */
public record PortRef(String port, String field, boolean explicitPort) {

    public static PortRef of(String fromField, List<String> ports) {
        if (isPort(fromField, ports)) return new PortRef(fromField, null, true);
        int dot = fromField.indexOf('.');
        if (dot > 0 && isPort(fromField.substring(0, dot), ports)) {
            return new PortRef(fromField.substring(0, dot), fromField.substring(dot + 1), true);
        }
        return new PortRef(ports.isEmpty() ? null : ports.get(0), fromField, false);
    }

    /** Whether this reads the error port. */
    public boolean isErrorPort() {
        return NodeType.ERROR.equals(port);
    }

    private static boolean isPort(String name, List<String> ports) {
        return ports.contains(name) || (!ports.isEmpty() && NodeType.ERROR.equals(name));
    }
}
