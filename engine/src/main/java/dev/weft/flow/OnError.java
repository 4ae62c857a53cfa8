package dev.weft.flow;

/** What a step's final failure does: fail the whole task, or emit the error on the node's error port. */
public enum OnError {
    FAIL, CONTINUE;

    public String wire() {
        return name().toLowerCase();
    }
}
