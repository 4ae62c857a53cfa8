package dev.weft.flow;

import java.util.List;

/**
 * How a mapping's {@code from_field} reads a source node's output: a whole port ({@code success},
 * {@code true}), a field of a port ({@code true.value}), or a field of the default (first) port
 * ({@code text}, {@code body.items.0}). {@code field} is null when the whole port's data is meant.
 */
public record PortRef(String port, String field, boolean explicitPort) {

    public static PortRef of(String fromField, List<String> ports) {
        if (ports.contains(fromField)) return new PortRef(fromField, null, true);
        int dot = fromField.indexOf('.');
        if (dot > 0 && ports.contains(fromField.substring(0, dot))) {
            return new PortRef(fromField.substring(0, dot), fromField.substring(dot + 1), true);
        }
        return new PortRef(ports.isEmpty() ? null : ports.get(0), fromField, false);
    }
}
