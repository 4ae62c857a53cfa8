package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.server.WeftConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image Maven built (target/weft-image.tar, by Jib in the package phase): its OCI layout and config, what
 * its layers hold, and that the runtime inside starts Weft. There is no container engine here, so the layers are
 * unpacked into a folder and the image's entrypoint runs in it under bubblewrap (a user, pid and mount
 * namespace, the root read-only as with {@code readOnlyRootFilesystem}, the data folder bound at the volume).
 */
class ImageIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration START_LIMIT = Duration.ofSeconds(120);   // a failure bound on a loaded machine, not a measure

    @TempDir
    static Path work;
    static ImageDefinition image;
    static Path oci;
    static Path root;
    static JsonNode index;
    static JsonNode manifest;
    static JsonNode config;
    static List<String> entries = new ArrayList<>();
    static List<List<String>> layerFiles = new ArrayList<>();   // each layer's files (no folders), in order

    @BeforeAll
    static void unpack() throws Exception {
        image = ImageDefinition.read();
        Path tar = Path.of(System.getProperty("weft.image.tar", "target/weft-image.tar"));
        assertThat(tar).as("the image Jib builds in the package phase").exists();
        oci = Files.createDirectories(work.resolve("oci"));
        run(List.of("tar", "-xf", tar.toString(), "-C", oci.toString()));
        index = JSON.readTree(oci.resolve("index.json").toFile());
        manifest = JSON.readTree(blob(index.path("manifests").path(0).path("digest").asText()).toFile());
        config = JSON.readTree(blob(manifest.path("config").path("digest").asText()).toFile());
        root = Files.createDirectories(work.resolve("root"));
        for (JsonNode layer : manifest.path("layers")) {
            Path file = blob(layer.path("digest").asText());
            run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", file.toString(), "-C", root.toString()));
            String listing = run(List.of("tar", "--warning=no-unknown-keyword", "-tzf", file.toString()));
            entries.addAll(listing.lines().map(line -> "/" + line.replaceAll("/$", "")).toList());
            layerFiles.add(listing.lines().filter(line -> !line.endsWith("/")).map(line -> "/" + line).toList());
        }
    }

    @Test
    void theImageIsAnOciLayoutNamedAsThePomSaysWhoseBlobsMatchTheirDigests() throws Exception {
        assertThat(JSON.readTree(oci.resolve("oci-layout").toFile()).path("imageLayoutVersion").asText()).isEqualTo("1.0.0");
        JsonNode entry = index.path("manifests").path(0);
        assertThat(entry.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(entry.path("annotations").path("org.opencontainers.image.ref.name").asText()).isEqualTo(image.name());
        assertThat(manifest.path("config").path("mediaType").asText()).isEqualTo("application/vnd.oci.image.config.v1+json");
        for (JsonNode layer : manifest.path("layers")) {
            assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
        }
        try (Stream<Path> blobs = Files.list(oci.resolve("blobs/sha256"))) {
            for (Path blob : blobs.toList()) assertThat(sha256(blob)).as(blob.toString()).isEqualTo(blob.getFileName().toString());
        }
        assertThat(config.path("os").asText()).isEqualTo("linux");
        assertThat(config.path("architecture").asText()).isEqualTo("amd64");
    }

    @Test
    void theConfigRunsWeftServeAsANonRootUserOnItsPortWithTheDataFolderAsAVolume() throws Exception {
        JsonNode c = config.path("config");
        assertThat(strings(c.path("Entrypoint"))).isEqualTo(image.entrypoint());
        assertThat(strings(c.path("Cmd"))).containsExactly("serve");
        List<String> entrypoint = image.entrypoint();
        assertThat(root.resolve(entrypoint.get(0).substring(1))).isExecutable();
        assertThat(root.resolve(entrypoint.get(entrypoint.indexOf("-jar") + 1).substring(1))).isRegularFile();

        assertThat(c.path("User").asText()).isEqualTo(image.user());
        assertThat(image.uid()).isNotZero();
        assertThat(Files.readAllLines(root.resolve("etc/passwd")))
                .anySatisfy(line -> assertThat(line).startsWith("weft:x:" + image.uid() + ":").contains(":/data:"));

        Map<String, String> env = environment();
        assertThat(ImageDefinition.documentedSettings()).containsAll(env.keySet().stream().filter(k -> k.startsWith("WEFT_")).toList());
        WeftConfig weft = WeftConfig.read(WeftConfig.Flags.NONE, env);
        assertThat(names(c.path("ExposedPorts"))).containsExactly(weft.server().port() + "/tcp");
        assertThat(names(c.path("Volumes"))).containsExactly(weft.server().dataDir().toString());
        assertThat(c.path("WorkingDir").asText()).isEqualTo(weft.server().dataDir().toString());
        assertThat(weft.server().host()).as("reachable from outside the container").isEqualTo("0.0.0.0");
        assertThat(c.path("Labels").path("dev.weft.healthcheck").asText()).isEqualTo(String.join(" ", image.healthCheck()));
    }

    @Test
    void theLayersHoldTheServersJarTheRuntimeAndItsLibrariesAndNoBuildLeftovers() throws Exception {
        Path jar = Path.of(System.getProperty("weft.jar", "../server/target/weft.jar"));
        assertThat(sha256(root.resolve("opt/weft/weft.jar"))).isEqualTo(sha256(jar));
        assertThat(layerFiles).as("the jar has a layer of its own, so a new Weft changes only that one")
                .contains(List.of("/opt/weft/weft.jar"));
        assertThat(root.resolve("opt/java/lib/server/libjvm.so")).isRegularFile();
        assertThat(root.resolve("opt/java/lib/server/classes.jsa")).as("the CDS archive").isRegularFile();
        assertThat(root.resolve("lib64/ld-linux-x86-64.so.2")).isRegularFile();
        assertThat(Files.readString(root.resolve("usr/share/weft/base-packages.txt"))).contains("libc6 ", "libstdc++6 ");
        try (Stream<Path> bin = Files.list(root.resolve("opt/java/bin"))) {
            assertThat(bin.map(p -> p.getFileName().toString())).contains("java").doesNotContain("javac", "jlink", "jar", "jdeps");
        }
        assertThat(entries).allSatisfy(path -> assertThat(path).matches("/(opt|usr|lib|lib64|etc|data|tmp)(/.*)?"));
        assertThat(entries).noneMatch(path -> path.endsWith(".java") || path.endsWith(".stamp") || path.endsWith("pom.xml")
                || path.contains("/target/") || path.contains("original-") || path.endsWith("/include")
                || path.contains("/man/") || path.endsWith(".debuginfo"));
        assertThat(entries.stream().filter(p -> p.endsWith(".class"))).allMatch(p -> p.startsWith(image.appRoot() + "/classes/"));
        for (String folder : List.of("data", "tmp")) {
            assertThat(Files.getPosixFilePermissions(root.resolve(folder))).as("/" + folder + " is writable by the image's user")
                    .contains(PosixFilePermission.OTHERS_WRITE);
        }
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isSymbolicLink).toList()).as("Jib keeps no symbolic links").isEmpty();
        }
    }

    @Test
    void theRuntimeInsideTheImageStartsWeftWhichAnswersReadyHealthMetricsAndTheHealthCheckCommand() throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        // the mount points a container engine makes for /proc and /dev (the root is bound read-only)
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("dev"));
        Map<String, String> env = environment();
        env.put("WEFT_HOST", "127.0.0.1");
        env.put("WEFT_PORT", "0");   // a free port, printed at start
        List<String> command = new ArrayList<>(sandbox(env, data));
        command.addAll(strings(config.path("config").path("Entrypoint")));
        command.addAll(strings(config.path("config").path("Cmd")));
        Process weft = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            StringBuilder log = new StringBuilder();
            CompletableFuture<String> address = new CompletableFuture<>();
            Thread reader = new Thread(() -> readLines(weft.getInputStream(), log, address), "weft-image-log");
            reader.setDaemon(true);
            reader.start();
            String base = address.get(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(base).as(log.toString()).startsWith("http://127.0.0.1:");

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> ready = get(http, base + "/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"ready\"", "\"database\":\"sqlite\"");
            assertThat(get(http, base + "/health").statusCode()).isEqualTo(200);
            String metric = (String) RecipesTest.map(RecipesTest.map(RecipesTest.maps(RecipesTest.map(RecipesTest.render(
                    Map.of("worker", Map.of("autoscaling", Map.of("enabled", true)))).get("HorizontalPodAutoscaler/r1-weft-worker"),
                    "spec").get("metrics")).get(0), "external"), "metric").get("name");
            assertThat(get(http, base + "/metrics").body()).as("the chart's autoscaler metric").contains("# TYPE " + metric + " gauge");
            assertThat(data.resolve("admin-token")).as("Weft keeps its data in the volume").isRegularFile();

            String port = base.substring(base.lastIndexOf(':') + 1);
            assertThat(healthCheck(port, data)).as("the health check command while Weft runs").isZero();
            weft.destroy();
            assertThat(weft.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(healthCheck(port, data)).as("the health check command once Weft stopped").isEqualTo(1);
        } finally {
            weft.destroyForcibly();
        }
    }

    /** The exit code of the image's health check command, run in the image as Compose would run it. */
    private static int healthCheck(String port, Path data) throws Exception {
        Map<String, String> env = environment();
        env.put("WEFT_PORT", port);
        List<String> command = new ArrayList<>(sandbox(env, data));
        command.addAll(image.healthCheck());
        Process check = new ProcessBuilder(command).redirectErrorStream(true).start();
        check.getInputStream().transferTo(System.out);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return check.exitValue();
    }

    /** bubblewrap: the unpacked image as a read-only root, the data folder at the volume, the image's user. */
    private static List<String> sandbox(Map<String, String> env, Path data) {
        String[] user = config.path("config").path("User").asText().split(":");
        List<String> command = new ArrayList<>(List.of("bwrap", "--ro-bind", root.toString(), "/",
                "--bind", data.toString(), names(config.path("config").path("Volumes")).get(0),
                "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                "--unshare-user", "--uid", user[0], "--gid", user[1], "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--die-with-parent", "--clearenv", "--chdir", config.path("config").path("WorkingDir").asText()));
        env.forEach((k, v) -> command.addAll(List.of("--setenv", k, v)));
        command.add("--");
        return command;
    }

    private static void readLines(InputStream in, StringBuilder log, CompletableFuture<String> address) {
        Pattern running = Pattern.compile("Weft is running at (http://\\S+)");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (log) {
                    log.append(line).append('\n');
                }
                Matcher m = running.matcher(line);
                if (m.find()) address.complete(m.group(1));
            }
        } catch (IOException e) {
            address.completeExceptionally(e);
        }
        address.complete("exited before it listened:\n" + log);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : strings(config.path("config").path("Env"))) {
            int eq = pair.indexOf('=');
            env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return env;
    }

    private static Path blob(String digest) {
        return oci.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(command + ": " + out).isZero();
        return out;
    }
}
