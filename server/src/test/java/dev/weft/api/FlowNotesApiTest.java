package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The builder's sticky notes: kept with the draft and the published version, never run, shape-checked. */
class FlowNotesApiTest {

    static final String ADMIN = TestServer.ADMIN_AUTH;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ObjectNode helloWithNote() {
        ObjectNode doc = (ObjectNode) Json.read(TestServer.example("hello.json"));
        doc.putArray("notes").addObject().put("id", "note_1").put("text", "Greets whoever calls")
                .put("width", 240).put("height", 120).putObject("position").put("x", 10).put("y", -150);
        return doc;
    }

    @Test
    void a_note_is_kept_in_the_draft_and_the_published_version_and_the_version_still_runs() {
        ObjectNode doc = helloWithNote();
        long id = server.post("/api/v1/flows", Json.write(doc), ADMIN).json().path("id").asLong();
        assertThat(server.get("/api/v1/flows/" + id, ADMIN).json().path("document").path("notes"))
                .isEqualTo(doc.path("notes"));

        TestServer.Answer published = server.post("/api/v1/flows/" + id + "/publish", null, ADMIN);
        assertThat(published.status()).isEqualTo(201);
        int version = published.json().path("version").asInt();
        assertThat(server.get("/api/v1/flows/" + id + "/versions/" + version, ADMIN).json().path("document").path("notes"))
                .isEqualTo(doc.path("notes"));

        long task = server.post("/api/v1/scade/flow/" + id + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}", ADMIN).json().path("id").asLong();
        JsonNode done = server.awaitTask(task, ADMIN, Duration.ofSeconds(20));
        assertThat(done.path("state").asText()).isEqualTo("completed");
        assertThat(done.path("result").path("greeting").asText()).isEqualTo("Hello, Ada!");
    }

    @Test
    void a_badly_shaped_note_is_refused_naming_it_and_the_stored_draft_stays() {
        long id = server.post("/api/v1/flows", Json.write(helloWithNote()), ADMIN).json().path("id").asLong();
        ObjectNode bad = helloWithNote();
        ((ObjectNode) bad.path("notes").get(0)).put("text", 42);
        TestServer.Answer refused = server.send("PUT", "/api/v1/flows/" + id, Json.write(bad), "application/json", ADMIN);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("errors").findValuesAsText("field")).containsExactly("notes[0].text");
        assertThat(server.get("/api/v1/flows/" + id, ADMIN).json().path("document").path("notes").get(0).path("text").asText())
                .isEqualTo("Greets whoever calls");
    }
}
