package dev.weft.node;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects validation problems, each with the path of the field at fault, under a path prefix: where a node's
 * {@link NodeType#check} reports what its settings schema cannot say.
 */
public final class Problems {

    private final List<Problem> list;
    private final String prefix;

    /** An empty collection rooted at the top (no prefix). */
    public Problems() {
        this(new ArrayList<>(), "");
    }

    private Problems(List<Problem> list, String prefix) {
        this.list = list;
        this.prefix = prefix;
    }

    /**
     * A view that adds problems under {@code prefix.path}, sharing this collection.
     *
     * @param path the path of a field, relative to this view
     * @return the view
     */
    public Problems at(String path) {
        return new Problems(list, join(prefix, path));
    }

    /**
     * Adds a problem about the field at {@code path}, relative to this view ({@code url}, {@code stop[1]}).
     *
     * @param path    the field's path
     * @param message what is wrong
     */
    public void add(String path, String message) {
        list.add(new Problem(join(prefix, path), message));
    }

    /**
     * Adds a problem about the object this view is rooted at.
     *
     * @param message what is wrong
     */
    public void add(String message) {
        list.add(new Problem(prefix, message));
    }

    /**
     * Whether no problem was added, through any view.
     *
     * @return true when there is none
     */
    public boolean isEmpty() {
        return list.isEmpty();
    }

    /**
     * Every problem added, through any view, in the order they were added.
     *
     * @return a copy of the list
     */
    public List<Problem> list() {
        return List.copyOf(list);
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) return path;
        if (path.isEmpty()) return prefix;
        return path.startsWith("[") ? prefix + path : prefix + "." + path;
    }
}
