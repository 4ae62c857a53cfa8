package dev.weft.event;

import dev.weft.http.ApiException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.store.Database;
import dev.weft.store.Rows;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Operations endpoints besides {@code /health}: {@code /ready} (200 when the database answers a query, else 503,
 * so a load balancer sends requests elsewhere) and {@code /metrics} (Prometheus). Served by every role.
 */
public final class OpsApi {

    private final Database database;
    private final Metrics metrics;

    public OpsApi(Database database, Metrics metrics) {
        this.database = database;
        this.metrics = metrics;
    }

    public void register(RoutesConfig routes) {
        routes.get("/ready", this::ready);
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
    }

    private void ready(Context ctx) {
        try {
            Rows.one(database.readers(), "SELECT 1", row -> row.getInt(1));
        } catch (RuntimeException e) {
            throw new ApiException(ApiException.Kind.UNAVAILABLE, "the database does not answer: " + e.getMessage());
        }
        ObjectNode json = Json.object();
        json.put("status", "ready");
        json.put("database", database.dialect().name().toLowerCase());
        ctx.json(json);
    }
}
