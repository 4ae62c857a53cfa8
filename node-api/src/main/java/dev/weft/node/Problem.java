package dev.weft.node;

/**
 * One thing wrong with an input: the path of the field ({@code nodes[2].settings.url}) and what is wrong.
 *
 * @param field   the path of the field at fault; empty for the object itself
 * @param message what is wrong, as a sentence fragment ({@code is required})
 */
public record Problem(String field, String message) {

    /** {@code field: message}, or the message alone for the object itself. */
    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
