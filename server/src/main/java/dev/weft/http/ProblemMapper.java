package dev.weft.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.InvalidFlowException;
import dev.weft.node.Problem;
import dev.weft.json.Json;
import dev.weft.store.FlowChangedException;
import dev.weft.store.NotFoundException;
import dev.weft.store.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into {@code application/problem+json} (RFC 9457): {@code type}, {@code title},
 * {@code status}, {@code detail} and, for input problems, {@code errors[]} with the field at fault.
 */
public final class ProblemMapper {

    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "/problems/";
    private static final Logger log = LoggerFactory.getLogger(ProblemMapper.class);

    private ProblemMapper() {}

    public static void register(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> {
            List<Problem> errors = e.field() == null ? List.of() : List.of(new Problem(e.field(), e.getMessage()));
            if (e.retryAfter() != null) {
                long millis = Math.max(1, e.retryAfter().toMillis());
                ctx.header("Retry-After", String.valueOf((millis + 999) / 1000));
            }
            write(ctx, e.kind(), e.getMessage(), errors);
        });
        routes.exception(InvalidFlowException.class, (e, ctx) ->
                write(ctx, ApiException.Kind.INVALID_INPUT, e.title(), e.problems()));
        routes.exception(NotFoundException.class, (e, ctx) ->
                write(ctx, ApiException.Kind.NOT_FOUND, e.getMessage(), List.of()));
        routes.exception(FlowChangedException.class, (e, ctx) -> write(ctx, ApiException.Kind.CONFLICT,
                e.getMessage() + "; read the flow again and retry", List.of(new Problem("flow_id", e.getMessage()))));
        routes.exception(StoreException.class, (e, ctx) -> {
            log.error("storage failure on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, ApiException.Kind.UNAVAILABLE, "the database could not answer; try again", List.of());
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> writeStatus(ctx, e.getStatus(), e.getMessage()));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            writeStatus(ctx, 500, "an unexpected error occurred; it has been logged");
        });
        routes.error(404, ctx -> {
            if (!ctx.res().isCommitted() && !CONTENT_TYPE.equals(ctx.res().getContentType())) {
                write(ctx, ApiException.Kind.NOT_FOUND, "no route for " + ctx.method() + " " + ctx.path(), List.of());
            }
        });
        routes.error(405, ctx -> writeStatus(ctx, 405, "method " + ctx.method() + " is not allowed on " + ctx.path()));
    }

    static void write(Context ctx, ApiException.Kind kind, String detail, List<Problem> errors) {
        // bytes, so that non-ASCII text (a field name, a ± sign) is UTF-8 whatever the servlet's default charset
        ctx.status(kind.status).contentType(CONTENT_TYPE).result(body(kind, detail, errors));
    }

    /** The problem document of {@code kind} as UTF-8 bytes: also for answers written below Javalin (Jetty handlers). */
    public static byte[] body(ApiException.Kind kind, String detail, List<Problem> errors) {
        ObjectNode body = document(TYPE_PREFIX + kind.type, kind.title, kind.status, detail);
        if (!errors.isEmpty()) {
            ArrayNode list = body.putArray("errors");
            for (Problem problem : errors) list.addObject().put("field", problem.field()).put("message", problem.message());
        }
        return Json.bytes(body);
    }

    private static void writeStatus(Context ctx, int status, String detail) {
        ctx.status(status).contentType(CONTENT_TYPE).result(Json.bytes(forStatus(status, detail)));
    }

    /**
     * The problem document for a bare HTTP status: the kind with that status when there is one, else a generic
     * {@code http-<status>} type. Also used by {@link HttpRefusals} for what Jetty refuses before Weft sees it.
     */
    static ObjectNode forStatus(int status, String detail) {
        for (ApiException.Kind kind : ApiException.Kind.values()) {
            if (kind.status == status && kind != ApiException.Kind.MALFORMED_JSON && kind != ApiException.Kind.NOT_PUBLISHED) {
                return document(TYPE_PREFIX + kind.type, kind.title, kind.status, detail);
            }
        }
        return document(TYPE_PREFIX + (status >= 500 ? "internal" : "http-" + status),
                status >= 500 ? "Internal error" : "Request refused", status, detail);
    }

    private static ObjectNode document(String type, String title, int status, String detail) {
        ObjectNode body = Json.object();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return body;
    }
}
