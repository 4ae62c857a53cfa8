package dev.weft.builtin;

import dev.weft.node.NodeException;
import java.util.Optional;

/**
 * Weft's file store as nodes see it: where the {@code files} node (and the media nodes) keep what they fetch or
 * generate, each file with a stable URL, and where a node reads back a file that a caller or an earlier step
 * stored. The server implements it over its store; this module knows only this interface.
 */
public interface FileSink {

    /** A stored file as the node emits it. */
    record Saved(String id, String url, String name, String contentType, long size, String sha256) {}

    /** A sink for an engine without a file store (a local run): a files step fails, naming why. */
    FileSink NONE = (bytes, name, contentType, taskId, nodeId) -> {
        throw new NodeException("no_file_store", "this Weft has no file store (files steps need a server)", false);
    };

    /** A stored file read back whole. */
    record Loaded(String id, String name, String contentType, byte[] bytes) {}

    /** Stores {@code bytes} as a file that step {@code nodeId} of task {@code taskId} fetched. */
    Saved save(byte[] bytes, String name, String contentType, long taskId, String nodeId);

    /**
     * The file {@code ref} names when it is one of this Weft's files: a file id ({@code f...}), its URL as
     * {@link Saved#url()} gives it, or that URL's path. Empty for anything else (an outside URL, which the caller
     * fetches through its guard). Throws {@code file_not_found} for a well-formed reference to no stored file, and
     * {@code file_too_large} past {@code maxBytes}.
     */
    default Optional<Loaded> load(String ref, long maxBytes) {
        return Optional.empty();
    }
}
