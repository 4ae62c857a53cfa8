package dev.weft.flow;

/** One thing wrong with an input: the path of the field ({@code nodes[2].settings.url}) and what is wrong. */
public record Problem(String field, String message) {

    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
