package dev.weft.auth;

/** What a route needs of a signed-in member (see {@link RoutePolicy}); {@link MemberRole#allows} says who has it. */
public enum Permission {
    /** Anyone, signed in or not (signing in, the first owner, accepting an invitation). */
    PUBLIC,
    /** Any signed-in member, about their own account. */
    SIGNED_IN,
    /** Reading flows, versions, tasks, keys' and credentials' names, node types. */
    READ,
    /** Running flows and acting on tasks (cancel, answer a wait). */
    RUN,
    /** Building: creating, editing, publishing and deleting flows; keys; credentials; files; knowledge bases. */
    BUILD,
    /** Members, invitations, roles, the audit log and server settings. */
    MANAGE
}
