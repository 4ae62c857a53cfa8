package dev.weft.auth;

/** A signed-in person as a request sees them: their user id, email, role, and the session the request came with. */
public record Member(long userId, String email, MemberRole role, String sessionId) {}
