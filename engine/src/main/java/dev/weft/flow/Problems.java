package dev.weft.flow;

import java.util.ArrayList;
import java.util.List;

/** Collects validation problems, each with the path of the field at fault, under a path prefix. */
public final class Problems {

    private final List<Problem> list;
    private final String prefix;

    public Problems() {
        this(new ArrayList<>(), "");
    }

    private Problems(List<Problem> list, String prefix) {
        this.list = list;
        this.prefix = prefix;
    }

    /** A view that adds problems under {@code prefix.path}, sharing this collection. */
    public Problems at(String path) {
        return new Problems(list, join(prefix, path));
    }

    public void add(String path, String message) {
        list.add(new Problem(join(prefix, path), message));
    }

    /** Adds a problem about the object this view is rooted at. */
    public void add(String message) {
        list.add(new Problem(prefix, message));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** Throws {@link InvalidFlowException} when any problem was found. */
    public void throwIfAny(String title) {
        if (!list.isEmpty()) {
            throw new InvalidFlowException(title, list());
        }
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) return path;
        if (path.isEmpty()) return prefix;
        return path.startsWith("[") ? prefix + path : prefix + "." + path;
    }
}
