package dev.weft.auth;

import java.util.Locale;

/**
 * A member's role in a workspace, each allowing what the one below it allows and more: a viewer reads, a runner
 * also runs flows and sees tasks, an editor also builds, publishes and manages keys and credentials, an owner also
 * manages members and settings.
 */
public enum MemberRole {
    VIEWER, RUNNER, EDITOR, OWNER;

    /** Whether this role may do what {@code permission} covers. */
    public boolean allows(Permission permission) {
        return switch (permission) {
            case PUBLIC, SIGNED_IN, READ -> true;
            case RUN -> this.ordinal() >= RUNNER.ordinal();
            case BUILD -> this.ordinal() >= EDITOR.ordinal();
            case MANAGE -> this == OWNER;
        };
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code word} ({@code owner}, {@code editor}, {@code runner}, {@code viewer}), or null. */
    public static MemberRole of(String word) {
        if (word == null) return null;
        for (MemberRole role : values()) {
            if (role.word().equals(word)) return role;
        }
        return null;
    }
}
