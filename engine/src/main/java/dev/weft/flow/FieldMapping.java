package dev.weft.flow;

/**
 * Maps one output field (or a whole port) of an edge's source node to one input field of its target.
 * A {@code toField} of {@value #RUN_AFTER} carries no data: the target only runs after the source.
 */
public record FieldMapping(String fromField, String toField) {

    public static final String RUN_AFTER = "@";

    public boolean runAfterOnly() {
        return RUN_AFTER.equals(toField);
    }
}
