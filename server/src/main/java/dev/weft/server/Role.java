package dev.weft.server;

import java.util.Locale;

/**
 * What a Weft process does with the shared queue: {@code all} accepts, answers and runs tasks; {@code api} accepts
 * and answers (it runs no worker); {@code worker} runs tasks and serves only {@code /health}, {@code /ready} and
 * {@code /metrics}. Any process that serves the API answers any task's status, whichever process runs it.
 */
public enum Role {
    ALL, API, WORKER;

    public boolean servesApi() {
        return this != WORKER;
    }

    public boolean runsTasks() {
        return this != API;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code all}, {@code api} or {@code worker}. */
    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.word().equals(text.trim().toLowerCase(Locale.ROOT))) return role;
        }
        throw new IllegalArgumentException("unknown role '" + text + "': expected all, api or worker");
    }
}
