package dev.weft.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import dev.weft.server.ServerConfig;
import dev.weft.server.WeftConfig;
import dev.weft.server.WeftServer;
import dev.weft.store.Database;
import dev.weft.store.JdbcUserStore;
import dev.weft.store.UserRecord;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A data folder written by the release before users (made by {@code upgrade/make-fixture.sh} running commit
 * 1cdaf62: schema V13, the admin-password and admin-token files, a published flow, a server key, a credential, a
 * finished task and a stored file) starts on today's server with nothing lost: its admin password is the owner
 * {@code admin@localhost}'s password, the admin token and the server key work as before, and a session made then
 * survives a restart.
 */
class UpgradeTest {

    static final String OLD_PASSWORD = "the old admin password";
    final HttpClient client = HttpClient.newHttpClient();

    static Path unpack() throws Exception {
        Path dir = Files.createTempDirectory("weft-upgrade");
        Path archive = dir.resolve("previous-release.tar.gz");
        try (InputStream in = UpgradeTest.class.getResourceAsStream("/upgrade/previous-release.tar.gz")) {
            Files.copy(in, archive);
        }
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString()).inheritIO().start();
        assertThat(tar.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        return dir.resolve("data");
    }

    static String resource(String name) throws Exception {
        try (InputStream in = UpgradeTest.class.getResourceAsStream("/upgrade/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    static WeftServer start(Path data) {
        return WeftServer.start(WeftConfig.defaults().withServer(ServerConfig.defaults().withPort(0).withDataDir(data)));
    }

    HttpResponse<String> send(WeftServer server, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_previous_release_data_folder_upgrades_with_nothing_lost() throws Exception {
        Path data = unpack();
        String token = "Bearer " + Files.readString(data.resolve("admin-token")).trim();
        String key = "Basic " + resource("previous-release.key");
        JsonNode file = Json.read(resource("previous-release.file.json"));
        String cookie;
        try (WeftServer server = start(data)) {
            JsonNode session = Json.read(send(server, "GET", "/api/v1/session", null).body());
            assertThat(session.path("owner_set").asBoolean()).isTrue();

            // the old password, with no email (as the previous UI and clients send it) and with the placeholder email
            HttpResponse<String> wrong = send(server, "POST", "/api/v1/session", "{\"password\": \"not the password\"}");
            assertThat(wrong.statusCode()).isEqualTo(401);
            HttpResponse<String> signedIn = send(server, "POST", "/api/v1/session", "{\"password\": \"" + OLD_PASSWORD + "\"}");
            assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(201);
            JsonNode user = Json.read(signedIn.body()).path("user");
            assertThat(user.path("email").asText()).isEqualTo("admin@localhost");
            assertThat(user.path("role").asText()).isEqualTo("owner");
            assertThat(send(server, "POST", "/api/v1/session", "{\"email\": \"admin@localhost\", \"password\": \""
                    + OLD_PASSWORD + "\"}").statusCode()).isEqualTo(201);
            String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
            cookie = setCookie.substring(0, setCookie.indexOf(';'));

            // flows, versions, keys, credentials, tasks and files, as the admin token sees them
            JsonNode flows = Json.read(send(server, "GET", "/api/v1/flows", null, "Authorization", token).body());
            assertThat(flows.toString()).contains("\"name\":\"Hello\"");
            assertThat(send(server, "GET", "/api/v1/flows/1/versions/1", null, "Authorization", token).statusCode()).isEqualTo(200);
            assertThat(send(server, "GET", "/api/v1/keys", null, "Authorization", token).body()).contains("old key");
            assertThat(send(server, "GET", "/api/v1/credentials", null, "Authorization", token).body()).contains("old-secret");
            assertThat(send(server, "GET", "/api/v1/tasks", null, "Authorization", token).body()).contains("\"Hello, Ann!\"");
            HttpResponse<String> stored = send(server, "GET", "/api/v1/files/" + file.path("id").asText(), null,
                    "Authorization", token);
            assertThat(stored.statusCode()).isEqualTo(200);
            assertThat(stored.body()).isEqualTo("a file the old release stored\n");

            // every old object is in the default workspace 1 (V18), which the old admin owns: the session works there
            JsonNode workspaces = Json.read(send(server, "GET", "/api/v1/workspaces", null, "Cookie", cookie).body());
            assertThat(workspaces.path("current").asLong()).isEqualTo(1);
            assertThat(workspaces.path("workspaces").toString()).contains("\"id\":1,\"name\":\"Default\",\"role\":\"owner\"");
            assertThat(send(server, "GET", "/api/v1/flows", null, "Authorization", token, "X-Weft-Workspace", "1").body())
                    .contains("\"name\":\"Hello\"");
            assertThat(send(server, "GET", "/api/v1/credentials", null, "Cookie", cookie).body()).contains("old-secret");

            // the old server key still runs the flow through the unchanged run API
            HttpResponse<String> run = send(server, "POST", "/api/v1/scade/flow/1/execute?wait=30",
                    "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Bo\"}}}}", "Authorization", key);
            assertThat(run.statusCode()).as(run.body()).isIn(200, 201);
            assertThat(run.body()).contains("Hello, Bo!");
            assertThat(send(server, "GET", "/api/v1/flows", null, "Cookie", cookie).statusCode()).isEqualTo(200);
        }
        // the carried-over PBKDF2 hash became an Argon2id one at the first sign-in
        try (Database database = Database.openSqlite(data)) {
            UserRecord owner = new JdbcUserStore(database, Clock.systemUTC()).findByEmail("admin@localhost").orElseThrow();
            assertThat(owner.passwordHash()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        }
        // sessions live in the database: the browser stays signed in across a restart
        try (WeftServer again = start(data)) {
            assertThat(send(again, "GET", "/api/v1/flows", null, "Cookie", cookie).statusCode()).isEqualTo(200);
            assertThat(send(again, "POST", "/api/v1/session", "{\"password\": \"" + OLD_PASSWORD + "\"}").statusCode())
                    .isEqualTo(201);
        }
    }
}
