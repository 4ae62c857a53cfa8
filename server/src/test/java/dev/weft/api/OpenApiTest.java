package dev.weft.api;

import dev.weft.web.OpenApi;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document names every route the server has, and only those; the interactive page loads it. */
class OpenApiTest {

    static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * The API's routes: those under /api, a hosted form's under /forms, and the operations endpoints (the UI's own
     * pages are not API).
     */
    private static boolean api(String route) {
        String path = route.substring(route.indexOf(' ') + 1);
        return path.startsWith("/api/") || path.startsWith("/forms/")   // a hosted form's public endpoints too
                || path.startsWith("/hooks/") || Set.of("/health", "/ready", "/metrics", "/mcp").contains(path);
    }

    @Test
    void every_route_is_documented_and_every_documented_route_exists() {
        TestServer.Answer answer = server.get("/api/openapi.json", null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode doc = answer.json();
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");

        Set<String> documented = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) documented.add(method.toUpperCase() + " " + path.getKey());
        }));
        Set<String> served = new TreeSet<>();
        for (String route : server.routes()) if (api(route)) served.add(route);

        List<String> undocumented = new ArrayList<>(served);
        undocumented.removeAll(documented);
        List<String> missing = new ArrayList<>(documented);
        missing.removeAll(served);
        assertThat(undocumented).as("routes the document lacks").isEmpty();
        assertThat(missing).as("documented routes the server lacks").isEmpty();
        assertThat(served).contains("POST /api/v1/scade/flow/{flow_id}/execute", "GET /api/v1/task/{task_id}/events");
    }

    @Test
    void every_reference_in_the_document_resolves_and_every_operation_has_an_id() {
        JsonNode doc = server.get("/api/openapi.json", null).json();
        List<String> refs = new ArrayList<>();
        collect(doc, refs);
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
        Set<String> ids = new TreeSet<>();
        doc.path("paths").forEach(path -> path.fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                assertThat(op.getValue().path("operationId").asText()).isNotEmpty();
                assertThat(ids.add(op.getValue().path("operationId").asText())).as("unique operationId").isTrue();
            }
        }));
    }

    private static void collect(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            if (node.has("$ref")) refs.add(node.get("$ref").asText());
            node.forEach(child -> collect(child, refs));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, refs));
        }
    }

    @Test
    void the_interactive_page_and_its_assets_are_served() {
        TestServer.Answer page = server.get("/api/docs", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.text()).contains("/api/openapi.json").contains("swagger-ui-bundle.js");
        TestServer.Answer bundle = server.get("/webjars/swagger-ui/" + OpenApi.SWAGGER_UI_VERSION
                + "/swagger-ui-bundle.js", null);
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.text()).contains("SwaggerUIBundle");
    }
}
