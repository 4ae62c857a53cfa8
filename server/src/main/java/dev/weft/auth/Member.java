package dev.weft.auth;

/**
 * A signed-in person as a request sees them: their user id, email, role in the session's current workspace, the
 * session the request came with, and that workspace.
 */
public record Member(long userId, String email, MemberRole role, String sessionId, long workspaceId) {

    /** A member of the default workspace. */
    public Member(long userId, String email, MemberRole role, String sessionId) {
        this(userId, email, role, sessionId, dev.weft.store.Database.DEFAULT_WORKSPACE);
    }
}
