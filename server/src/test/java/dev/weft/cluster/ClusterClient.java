package dev.weft.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.Polls;
import dev.weft.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a cluster test does from outside: the public HTTP API of any process, and read-only SQL on the shared
 * PostgreSQL to see the queue as the processes left it (states, lease owners, recorded steps).
 */
final class ClusterClient {

    static final String ADMIN_AUTH = "Bearer " + ClusterProcess.ADMIN;

    /** start(n, api) -> one http node per path, in a chain, each calling {@code {{start.api}}<path>?n=<n>} -> end. */
    static String flow(String... paths) {
        StringBuilder nodes = new StringBuilder("""
                {"id": "start", "type": "start", "settings": {"inputs": {
                   "n": {"type": "integer", "required": true}, "api": {"type": "string", "required": true}}}}""");
        StringBuilder edges = new StringBuilder();
        String previous = "start";
        for (String path : paths) {
            String id = path.substring(1);
            nodes.append(",\n{\"id\": \"").append(id).append("\", \"type\": \"http\", \"settings\": {\"url\": ")
                    .append("\"{{start.api}}").append(path).append("?n={{start.n}}\"}}");
            if (edges.length() > 0) edges.append(",\n");
            edges.append("{\"from_node\": \"").append(previous).append("\", \"to_node\": \"").append(id)
                    .append("\", \"fields_mapping\": [{\"from_field\": \"")
                    .append(previous.equals("start") ? "n" : "status").append("\", \"to_field\": \"@\"}]}");
            previous = id;
        }
        nodes.append(",\n{\"id\": \"end\", \"type\": \"end\", \"settings\": {\"outputs\": {\"n\": {\"type\": \"string\"}}}}");
        edges.append(",\n{\"from_node\": \"").append(previous)
                .append("\", \"to_node\": \"end\", \"fields_mapping\": [{\"from_field\": \"body.n\", \"to_field\": \"n\"}]}");
        return "{\"name\": \"cluster\", \"nodes\": [" + nodes + "], \"edges\": [" + edges + "]}";
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String dbUrl;

    ClusterClient(String dbUrl) {
        this.dbUrl = dbUrl;
    }

    /** Creates and publishes a flow through {@code base}; returns its id. */
    long publish(String base, String document) throws Exception {
        long id = call(base, "POST", "/api/v1/flows", document, ADMIN_AUTH).path("id").asLong();
        call(base, "POST", "/api/v1/flows/" + id + "/publish", "", ADMIN_AUTH);
        return id;
    }

    /** A new server key, as the {@code Authorization} value. */
    String key(String base) throws Exception {
        return "Basic " + call(base, "POST", "/api/v1/keys", "{\"name\": \"cluster\"}", ADMIN_AUTH).path("key").asText();
    }

    /** Executes the flow for {@code n}; returns the accepted task's id. */
    long execute(String base, long flowId, String key, long n, String api) throws Exception {
        String body = "{\"node_settings\": {\"start\": {\"data\": {\"n\": " + n + ", \"api\": \"" + api + "\"}}}}";
        return call(base, "POST", "/api/v1/scade/flow/" + flowId + "/execute", body, key).path("id").asLong();
    }

    JsonNode task(String base, long id, String key) throws Exception {
        return call(base, "GET", "/api/v1/task/" + id, null, key);
    }

    int status(String base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", ADMIN_AUTH).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    JsonNode call(String base, String method, String path, String body, String auth) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !body.isEmpty()) request.header("Content-Type", "application/json");
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) throw new AssertionError(method + " " + path + ": " + response.body());
        return Json.read(response.body());
    }

    /** One number from the shared database. */
    long number(String sql, Object... params) throws SQLException {
        List<Long> rows = longs(sql, params);
        return rows.isEmpty() ? 0 : rows.get(0);
    }

    /** The first column of every row, as numbers. */
    List<Long> longs(String sql, Object... params) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(dbUrl); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) s.setObject(i + 1, params[i]);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) out.add(rows.getLong(1));
            }
        }
        return out;
    }

    /** The first column of every row, as text. */
    List<String> texts(String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(dbUrl); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) s.setObject(i + 1, params[i]);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) out.add(rows.getString(1));
            }
        }
        return out;
    }

    /** Polls the database (every 50 ms, up to {@code limit}) until {@code sql} returns {@code expected}. */
    void awaitNumber(String sql, long expected, Duration limit) {
        Polls.until(sql + " giving " + expected, limit, Duration.ofMillis(50), () -> number(sql), n -> n == expected);
    }
}
