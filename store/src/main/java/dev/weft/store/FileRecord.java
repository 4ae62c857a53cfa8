package dev.weft.store;

import java.time.Instant;

/**
 * What Weft knows of a stored file: its random id (the stable URL names it), name, content type, size and SHA-256
 * (hex), when it was stored, and who stored it.
 */
public record FileRecord(String id, String name, String contentType, long size, String sha256, Instant createdAt,
                         Owner owner) {

    /**
     * Who stored a file: the server key that uploaded it ({@code keyId}, null for the admin), or the step that
     * fetched it ({@code flowId}, {@code taskId}, {@code nodeId}); absent parts are null.
     */
    public record Owner(String keyId, Long flowId, Long taskId, String nodeId, Long workspaceId) {

        /** An owner whose workspace is its task's (a step's file), else the default one. */
        public Owner(String keyId, Long flowId, Long taskId, String nodeId) {
            this(keyId, flowId, taskId, nodeId, null);
        }

        public static Owner key(String keyId) {
            return new Owner(keyId, null, null, null);
        }

        /** An upload through the API by {@code keyId} (null: the admin) acting in workspace {@code workspaceId}. */
        public static Owner key(String keyId, long workspaceId) {
            return new Owner(keyId, null, null, null, workspaceId);
        }

        public static Owner step(String keyId, Long flowId, long taskId, String nodeId) {
            return new Owner(keyId, flowId, taskId, nodeId);
        }
    }
}
