package dev.weft.flow;

import dev.weft.node.Problem;
import dev.weft.node.Problems;
import java.util.List;

/** Input that failed validation, with every problem found; the API answers it with 400 and the list. */
public class InvalidFlowException extends RuntimeException {

    private final String title;
    private final List<Problem> problems;

    public InvalidFlowException(String title, List<Problem> problems) {
        super(title + ": " + problems);
        this.title = title;
        this.problems = List.copyOf(problems);
    }

    public InvalidFlowException(String field, String message) {
        this("invalid input", List.of(new Problem(field, message)));
    }

    /** Throws the problems found, under {@code title}, when there are any. */
    public static void throwIfAny(Problems problems, String title) {
        if (!problems.isEmpty()) throw new InvalidFlowException(title, problems.list());
    }

    public String title() {
        return title;
    }

    public List<Problem> problems() {
        return problems;
    }
}
