package dev.weft.hook;

import dev.weft.api.TestServer;
import dev.weft.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Test helpers for webhooks: a credential holding a shared secret, a webhook of a flow, and raw hook requests. */
final class HookClient {

    private final TestServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HookClient(TestServer server) {
        this.server = server;
    }

    void credential(String name, String secret) {
        TestServer.Answer made = server.post("/api/v1/credentials", Json.write(Json.object().put("name", name)
                .put("type", "api_key").put("secret", secret)), TestServer.ADMIN_AUTH);
        if (made.status() != 201) throw new AssertionError("credential failed: " + made);
    }

    /** Creates a webhook of {@code flowId} with {@code settings} (a name is added); returns the created answer. */
    TestServer.Answer create(long flowId, ObjectNode settings) {
        if (!settings.has("name")) settings.put("name", "test hook");
        return server.post("/api/v1/flows/" + flowId + "/webhooks", Json.write(settings), TestServer.ADMIN_AUTH);
    }

    /** Creates a webhook and returns its token. */
    String token(long flowId, ObjectNode settings) {
        TestServer.Answer made = create(flowId, settings);
        if (made.status() != 201) throw new AssertionError("webhook failed: " + made);
        return made.json().path("token").asText();
    }

    /** {@code POST /hooks/{token}} with a raw body, its type (null: none) and headers (name, value, ...). */
    TestServer.Answer post(String token, byte[] body, String contentType, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base() + "/hooks/" + token))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) request.header("Content-Type", contentType);
        for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new TestServer.Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    TestServer.Answer postJson(String token, String json, String... headers) {
        return post(token, json.getBytes(StandardCharsets.UTF_8), "application/json", headers);
    }

    /** How many tasks the webhook started, as its tasks list says. */
    int tasks(long flowId, String webhookId) {
        TestServer.Answer list = server.get("/api/v1/flows/" + flowId + "/webhooks/" + webhookId + "/tasks",
                TestServer.ADMIN_AUTH);
        if (list.status() != 200) throw new AssertionError("tasks failed: " + list);
        return list.json().path("tasks").size();
    }

    /** How many tasks the flow has, all triggers together. */
    int flowTasks(long flowId) {
        return server.get("/api/v1/tasks?flow_id=" + flowId, TestServer.ADMIN_AUTH).json().path("tasks").size();
    }
}
