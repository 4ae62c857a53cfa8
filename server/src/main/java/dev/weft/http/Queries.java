package dev.weft.http;

import io.javalin.http.Context;

/** Reads query parameters strictly: a value that is not one the parameter takes is a 400 naming it. */
public final class Queries {

    private Queries() {}

    /** {@code true} or {@code false} exactly; absent or empty is {@code fallback}, anything else a 400. */
    public static boolean flag(Context ctx, String name, boolean fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) return fallback;
        if (raw.equals("true")) return true;
        if (raw.equals("false")) return false;
        throw new ApiException(ApiException.Kind.INVALID_INPUT, name, "must be true or false (got '" + raw + "')");
    }
}
