package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import dev.weft.manage.FlowsApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options and calls shared by the commands that talk to a running server's management API. */
final class AdminClient {

    @Option(names = "--url", description = "The server's address (env WEFT_URL; default http://127.0.0.1:8080).")
    String url;

    @Option(names = "--token", description = "The admin token (env WEFT_ADMIN_TOKEN; default: read from the data folder).")
    String token;

    @Option(names = "--data", description = "The server's data folder, to read the admin token from (default ./data).")
    Path data;

    JsonNode post(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + token())
                .header("Content-Type", "application/json")
                .header("User-Agent", FlowsApi.CLI_USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? Json.object() : Json.read(response.body());
        if (response.statusCode() >= 300) {
            StringBuilder message = new StringBuilder(json.path("detail").asText(response.body()));
            for (JsonNode error : json.path("errors")) {
                message.append("\n  ").append(error.path("field").asText()).append(": ").append(error.path("message").asText());
            }
            throw new IllegalStateException(response.statusCode() + " " + message);
        }
        return json;
    }

    private String base() {
        String base = url != null ? url : Weft.env("WEFT_URL", "http://127.0.0.1:8080");
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private String token() throws IOException {
        if (token != null) return token;
        String fromEnv = Weft.env("WEFT_ADMIN_TOKEN", null);
        if (fromEnv != null) return fromEnv;
        Path file = (data != null ? data : Path.of(Weft.env("WEFT_DATA", "data"))).resolve("admin-token");
        if (!Files.exists(file)) {
            throw new IllegalStateException("no admin token: pass --token, set WEFT_ADMIN_TOKEN, or --data <folder>");
        }
        return Files.readString(file).trim();
    }
}
