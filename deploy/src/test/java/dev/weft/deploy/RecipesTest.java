package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.event.Metrics;
import dev.weft.server.ClusterConfig;
import dev.weft.server.Role;
import dev.weft.server.WeftConfig;
import dev.weft.store.CredentialCipher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Compose file and the Helm chart, checked offline: they parse, the chart renders (with {@link ChartTemplates},
 * no Helm here), and their names, ports, paths, user and settings agree with the image (deploy/pom.xml) and with
 * what Weft really reads (WeftConfig, Role, the README's configuration table, the metrics it exports).
 */
class RecipesTest {

    static final Map<String, String> SHELL = Map.of("POSTGRES_PASSWORD", "s3cret-pw",
            "WEFT_ADMIN_TOKEN", "weft_admin_test", "WEFT_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]));

    static ImageDefinition image;
    static List<String> settings;

    @BeforeAll
    static void readImage() throws Exception {
        image = ImageDefinition.read();
        settings = ImageDefinition.documentedSettings();
        assertThat(settings).contains("WEFT_PORT", "WEFT_DATA", "WEFT_DB_URL", "WEFT_ROLE", "WEFT_SHUTDOWN_GRACE");
    }

    @Test
    void theImageDefinitionSetsOnlyRealSettingsThatWeftReadsAsListeningOnItsPortAndDataVolume() {
        assertThat(settings).containsAll(image.environment().keySet());
        WeftConfig weft = WeftConfig.read(WeftConfig.Flags.NONE, image.environment());
        assertThat(image.ports()).containsExactly(weft.server().port());
        assertThat(image.volumes()).containsExactly(weft.server().dataDir().toString());
        assertThat(weft.server().host()).isEqualTo("0.0.0.0");
        assertThat(image.uid()).isNotZero();
        assertThat(image.healthCheck()).containsSequence("-cp", image.appRoot() + "/classes", HealthCheck.class.getName());
    }

    @Test
    void composeRunsTheImageAsAnApiAndWorkersOnItsPostgresWithTheDataVolumeAndHealthChecks() throws Exception {
        Map<String, Object> compose = yaml(interpolate(Files.readString(ImageDefinition.MODULE.resolve("compose.yaml")), SHELL));
        Map<String, Object> services = map(compose, "services");
        assertThat(services).containsOnlyKeys("api", "worker", "postgres");
        Map<String, Object> postgres = map(services, "postgres");
        Map<String, Object> pgEnv = map(postgres, "environment");
        assertThat((List<?>) postgres.get("volumes")).anySatisfy(v -> assertThat(v).asString().endsWith(":/var/lib/postgresql/data"));
        assertThat(postgres).containsKey("healthcheck");

        for (String role : List.of("api", "worker")) {
            Map<String, Object> service = map(services, role);
            assertThat(service.get("image")).isEqualTo(image.name());
            List<String> command = strings(service.get("command"));
            assertThat(command.get(0)).isEqualTo("serve");
            Map<String, String> env = new HashMap<>(image.environment());
            map(service, "environment").forEach((k, v) -> env.put(k, String.valueOf(v)));
            assertThat(settings).containsAll(map(service, "environment").keySet());

            WeftConfig weft = WeftConfig.read(flags(command), env);
            assertThat(weft.cluster().role()).isEqualTo(Role.parse(role));
            assertThat(weft.cluster().dbUrl()).isEqualTo("jdbc:postgresql://postgres:5432/" + pgEnv.get("POSTGRES_DB")
                    + "?user=" + pgEnv.get("POSTGRES_USER") + "&password=" + pgEnv.get("POSTGRES_PASSWORD"));
            assertThat(weft.masterKey()).isEqualTo(SHELL.get(CredentialCipher.ENV));
            assertThat(weft.server().adminToken()).isEqualTo(SHELL.get("WEFT_ADMIN_TOKEN"));
            // compose kills a container stop_grace_period after SIGTERM: later than Weft's own grace ends
            assertThat(ClusterConfig.duration((String) service.get("stop_grace_period"))).isGreaterThan(weft.cluster().shutdownGrace());
            assertThat(strings(service.get("volumes"))).containsExactly("weft-data:" + image.volumes().get(0));
            assertThat(strings(map(service, "healthcheck").get("test")))
                    .isEqualTo(Stream.concat(Stream.of("CMD"), image.healthCheck().stream()).toList());
            assertThat(map(map(service, "depends_on"), "postgres")).containsEntry("condition", "service_healthy");
        }
        assertThat(strings(map(services, "api").get("ports"))).containsExactly(image.ports().get(0) + ":" + image.ports().get(0));
        assertThat(map(services, "worker")).doesNotContainKey("ports");
        assertThat(map(compose, "volumes")).containsKeys("weft-data", "postgres-data");
    }

    @Test
    void theChartRendersApiAndWorkerDeploymentsThatRunTheImageWithProbesSecretAndAGraceLongerThanWeftsOwn() throws Exception {
        Map<String, Map<String, Object>> objects = render(Map.of());
        assertThat(objects).containsOnlyKeys("Deployment/r1-weft-api", "Deployment/r1-weft-worker", "Service/r1-weft",
                "Secret/r1-weft", "PodDisruptionBudget/r1-weft-api", "PodDisruptionBudget/r1-weft-worker");
        Map<String, Object> secret = objects.get("Secret/r1-weft");
        Map<String, Object> secretData = map(secret, "stringData");
        assertThat(secretData).containsKey(CredentialCipher.ENV);
        assertThat(settings).containsAll(secretData.keySet());

        for (String role : List.of("api", "worker")) {
            Map<String, Object> deployment = objects.get("Deployment/r1-weft-" + role);
            Map<String, Object> pod = map(map(deployment, "spec"), "template");
            Map<String, Object> podLabels = map(map(pod, "metadata"), "labels");
            assertThat(map(map(map(deployment, "spec"), "selector"), "matchLabels")).isEqualTo(podLabels);
            assertThat(map(map(pod, "metadata"), "annotations")).as("where Prometheus scrapes the queue depth")
                    .containsEntry("prometheus.io/port", String.valueOf(image.ports().get(0)))
                    .containsEntry("prometheus.io/path", "/metrics");
            Map<String, Object> spec = map(pod, "spec");
            assertThat(map(spec, "securityContext")).containsEntry("runAsUser", image.uid()).containsEntry("runAsNonRoot", true);
            Map<String, Object> container = maps(spec.get("containers")).get(0);
            assertThat(container.get("image")).isEqualTo(image.name());
            List<String> args = strings(container.get("args"));
            Map<String, Object> port = maps(container.get("ports")).get(0);
            assertThat(port).containsEntry("containerPort", image.ports().get(0));
            assertThat(probe(container, "livenessProbe")).containsEntry("path", "/health").containsEntry("port", port.get("name"));
            assertThat(probe(container, "startupProbe")).containsEntry("path", "/health").containsEntry("port", port.get("name"));
            assertThat(probe(container, "readinessProbe")).containsEntry("path", "/ready").containsEntry("port", port.get("name"));
            assertThat(map(map(container, "resources"), "requests")).containsKeys("cpu", "memory");
            assertThat(map(map(container, "resources"), "limits")).containsKey("memory");
            assertThat(maps(container.get("volumeMounts"))).anySatisfy(m -> assertThat(m.get("mountPath")).isEqualTo(image.volumes().get(0)));
            assertThat(map(maps(container.get("envFrom")).get(0), "secretRef")).containsEntry("name", map(secret, "metadata").get("name"));

            Map<String, String> env = new HashMap<>(image.environment());
            secretData.forEach((k, v) -> env.put(k, String.valueOf(v)));
            for (Map<String, Object> e : maps(container.get("env"))) {
                assertThat(settings).contains((String) e.get("name"));
                env.put((String) e.get("name"), (String) e.get("value"));
            }
            WeftConfig weft = WeftConfig.read(flags(args), env);
            assertThat(weft.cluster().role()).isEqualTo(Role.parse(role));
            assertThat(Duration.ofSeconds(((Number) spec.get("terminationGracePeriodSeconds")).longValue()))
                    .isGreaterThan(weft.cluster().shutdownGrace());

            Map<String, Object> pdb = objects.get("PodDisruptionBudget/r1-weft-" + role);
            assertThat(map(map(pdb, "spec"), "selector").get("matchLabels")).isEqualTo(podLabels);
        }
        Map<String, Object> service = map(objects.get("Service/r1-weft"), "spec");
        assertThat(map(service, "selector")).isEqualTo(map(map(map(map(objects.get("Deployment/r1-weft-api"), "spec"), "template"), "metadata"), "labels"));
        assertThat(maps(service.get("ports")).get(0)).containsEntry("targetPort", "http");
    }

    @Test
    void theChartsAutoscalerScalesTheWorkersOnAQueueDepthMetricThatWeftExports() throws Exception {
        Map<String, Map<String, Object>> objects = render(Map.of("worker", Map.of("autoscaling", Map.of("enabled", true))));
        Map<String, Object> hpa = map(objects.get("HorizontalPodAutoscaler/r1-weft-worker"), "spec");
        assertThat(map(hpa, "scaleTargetRef")).containsEntry("kind", "Deployment").containsEntry("name", "r1-weft-worker");
        assertThat(map(objects.get("Deployment/r1-weft-worker"), "spec")).doesNotContainKey("replicas");
        String metric = (String) map(map(maps(hpa.get("metrics")).get(0), "external"), "metric").get("name");

        Metrics metrics = new Metrics();
        metrics.watch(() -> 7, 4, () -> 4);
        assertThat(metrics.scrape()).contains("# TYPE " + metric + " gauge").containsPattern("(?m)^" + metric + " ");
    }

    @Test
    void theChartRefusesToRenderWithoutTheMasterKey() {
        assertThatThrownBy(() -> render(Map.of("secrets", Map.of("masterKey", ""))))
                .hasMessageContaining("secrets.masterKey is required");
    }

    @Test
    void chartTemplatesTrimWhitespaceAndChooseBranchesAsGoTemplatesDo() {
        var templates = new ChartTemplates(Map.of("Values", Map.of("on", true, "n", 3, "s", "a\"b")));
        assertThat(templates.render("a:\n  {{- if .Values.on }}\n  b: {{ .Values.n }}\n  {{- else }}\n  c: 1\n  {{- end }}\n"))
                .isEqualTo("a:\n  b: 3\n");
        assertThat(templates.render("{{ if not .Values.on }}x{{ else }}{{ .Values.s | quote }}{{ end }}")).isEqualTo("\"a\\\"b\"");
        assertThatThrownBy(() -> templates.render("{{ .Values.missing }}")).hasMessageContaining("no value for .Values.missing");
        assertThatThrownBy(() -> templates.render("{{ .Values.n | toYaml }}")).hasMessageContaining("unknown function toYaml");
    }

    /** The chart's objects by kind/name, rendered with its values.yaml, the secrets set, and {@code overrides}. */
    static Map<String, Map<String, Object>> render(Map<String, Object> overrides) throws Exception {
        Path chart = ImageDefinition.MODULE.resolve("helm/weft");
        Map<String, Object> meta = yaml(Files.readString(chart.resolve("Chart.yaml")));
        assertThat(meta).containsEntry("apiVersion", "v2").containsEntry("name", "weft").containsEntry("appVersion", ImageDefinition.read().version());
        Map<String, Object> values = yaml(Files.readString(chart.resolve("values.yaml")));
        merge(values, Map.of("secrets", Map.of("dbUrl", "jdbc:postgresql://db:5432/weft?user=weft&password=pw",
                "adminToken", SHELL.get("WEFT_ADMIN_TOKEN"), "masterKey", SHELL.get(CredentialCipher.ENV))));
        merge(values, overrides);
        var templates = new ChartTemplates(Map.of("Values", values, "Release", Map.of("Name", "r1", "Namespace", "default"),
                "Chart", Map.of("Name", meta.get("name"), "AppVersion", meta.get("appVersion"))));
        Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(chart.resolve("templates"))) {
            for (Path file : files.sorted().toList()) {
                String text = templates.render(Files.readString(file));
                if (text.isBlank()) continue;
                Map<String, Object> object = yaml(text);
                objects.put(object.get("kind") + "/" + map(object, "metadata").get("name"), object);
            }
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) m);
            } else {
                into.put(k, v);
            }
        });
    }

    /** Compose's interpolation: {@code ${X}}, {@code ${X:-default}}, {@code ${X:?error}} from {@code shell}. */
    static String interpolate(String text, Map<String, String> shell) {
        Matcher m = Pattern.compile("\\$\\{([A-Z_]+)(?::([-?])([^}]*))?}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = shell.get(m.group(1));
            if (value == null && "?".equals(m.group(2))) throw new IllegalArgumentException(m.group(3));
            if (value == null) value = "-".equals(m.group(2)) ? m.group(3) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static WeftConfig.Flags flags(List<String> command) {
        int at = command.indexOf("--role");
        return new WeftConfig.Flags(null, null, null, null, at < 0 ? null : command.get(at + 1));
    }

    private static Map<String, Object> probe(Map<String, Object> container, String name) {
        return map(map(container, name), "httpGet");
    }

    static Map<String, Object> yaml(String text) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object list) {
        assertThat(list).isInstanceOf(List.class);
        return (List<Map<String, Object>>) list;
    }

    static List<String> strings(Object list) {
        assertThat(list).isInstanceOf(List.class);
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) list) out.add(String.valueOf(o));
        return out;
    }
}
