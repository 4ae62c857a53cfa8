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
    public record Owner(String keyId, Long flowId, Long taskId, String nodeId) {

        public static Owner key(String keyId) {
            return new Owner(keyId, null, null, null);
        }

        public static Owner step(String keyId, Long flowId, long taskId, String nodeId) {
            return new Owner(keyId, flowId, taskId, nodeId);
        }
    }
}
