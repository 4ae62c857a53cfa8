package dev.weft.builtin;

import dev.weft.node.NodeException;

/**
 * Where the {@code files} node keeps what it fetched: Weft's file store, which gives each file a stable URL. The
 * server implements it over its store; this module knows only this interface.
 */
public interface FileSink {

    /** A stored file as the node emits it. */
    record Saved(String id, String url, String name, String contentType, long size, String sha256) {}

    /** A sink for an engine without a file store (a local run): a files step fails, naming why. */
    FileSink NONE = (bytes, name, contentType, taskId, nodeId) -> {
        throw new NodeException("no_file_store", "this Weft has no file store (files steps need a server)", false);
    };

    /** Stores {@code bytes} as a file that step {@code nodeId} of task {@code taskId} fetched. */
    Saved save(byte[] bytes, String name, String contentType, long taskId, String nodeId);
}
