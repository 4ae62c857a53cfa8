package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import dev.weft.event.LlmPrices;

class WeftConfigTest {

    /** An environment that remembers every name asked of it. */
    private static final class RecordingEnv extends AbstractMap<String, String> {
        final Set<String> asked = new TreeSet<>();
        final Map<String, String> values;

        RecordingEnv(Map<String, String> values) {
            this.values = values;
        }

        @Override
        public String get(Object key) {
            asked.add((String) key);
            return values.get(key);
        }

        @Override
        public String getOrDefault(Object key, String fallback) {
            asked.add((String) key);
            return values.getOrDefault(key, fallback);
        }

        @Override
        public boolean containsKey(Object key) {
            asked.add((String) key);
            return values.containsKey(key);
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            throw new UnsupportedOperationException("the configuration asks for names, it does not list them");
        }
    }

    @Test
    void every_environment_variable_the_configuration_reads_is_in_the_readme_table() throws IOException {
        RecordingEnv env = new RecordingEnv(Map.of());
        WeftConfig.read(WeftConfig.Flags.NONE, env);
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("## Configuration"));
        table = table.substring(0, table.indexOf("\n\n", table.indexOf("| setting")));
        assertThat(env.asked).contains("WEFT_PORT", "WEFT_MASTER_KEY", "WEFT_RATE_LIMIT", "WEFT_FILE_MAX_BYTES",
                "WEFT_HTTP_IDLE_TIMEOUT", "HOSTNAME", "WEFT_LLM_PRICES");
        for (String name : env.asked) assertThat(table).as("README Configuration table").contains("`" + name);
    }

    @Test
    void only_the_command_line_reads_the_environment() throws IOException {
        List<String> readers;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            readers = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    return Files.readString(f).contains("System.getenv");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).map(f -> f.getFileName().toString()).sorted().toList();
        }
        // ServeCommand hands the environment to WeftConfig.read; Weft.env serves the client commands (flows, keys)
        assertThat(readers).containsExactly("ServeCommand.java", "Weft.java");
    }

    @Test
    void an_empty_environment_gives_the_defaults() {
        WeftConfig config = WeftConfig.read(WeftConfig.Flags.NONE, Map.of());
        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
        assertThat(config.cluster()).isEqualTo(ClusterConfig.defaults().withRetention(Duration.ofDays(7)));
        assertThat(config.run().rateLimit()).isZero();
        assertThat(config.run().flowConcurrency()).isZero();
        assertThat(config.run().callbacks()).isEqualTo(WeftConfig.defaults().run().callbacks());
        assertThat(config.run().waitCheckEvery()).isEqualTo(WeftConfig.defaults().run().waitCheckEvery());
        assertThat(config.files()).isEqualTo(WeftConfig.defaults().files());
        assertThat(config.masterKey()).isNull();
        assertThat(config.hostname()).isEqualTo("weft");
        assertThat(config.llmPrices()).isEqualTo(LlmPrices.NONE);
    }

    @Test
    void the_llm_price_table_is_read_inline_or_from_a_file_and_a_wrong_one_is_refused_naming_it() throws IOException {
        String table = "{\"gpt-4o-mini\": {\"input_per_mtok\": 0.15, \"output_per_mtok\": 0.6}}";
        LlmPrices inline = WeftConfig.read(WeftConfig.Flags.NONE, Map.of("WEFT_LLM_PRICES", table)).llmPrices();
        assertThat(inline.byModel()).containsExactly(Map.entry("gpt-4o-mini", new LlmPrices.Price(0.15, 0.6)));
        assertThat(inline.of("gpt-4o-mini-2024-07-18")).contains(new LlmPrices.Price(0.15, 0.6));
        assertThat(inline.of("gpt-4o")).isEmpty();

        Path file = Files.createTempFile("prices", ".json");
        try {
            Files.writeString(file, table);
            assertThat(WeftConfig.read(WeftConfig.Flags.NONE, Map.of("WEFT_LLM_PRICES", file.toString())).llmPrices())
                    .isEqualTo(inline);
        } finally {
            Files.delete(file);
        }

        assertThatThrownBy(() -> WeftConfig.read(WeftConfig.Flags.NONE, Map.of("WEFT_LLM_PRICES",
                "{\"gpt-4o\": {\"input_per_mtok\": \"cheap\"}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WEFT_LLM_PRICES")
                .hasMessageContaining("gpt-4o.input_per_mtok must be a number");
        assertThatThrownBy(() -> WeftConfig.read(WeftConfig.Flags.NONE, Map.of("WEFT_LLM_PRICES", "/no/such/prices.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WEFT_LLM_PRICES");
        assertThatThrownBy(() -> WeftConfig.read(WeftConfig.Flags.NONE, Map.of("WEFT_LLM_PRICES", "{not json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WEFT_LLM_PRICES: not JSON");
    }

    @Test
    void the_command_line_wins_over_the_environment_which_wins_over_defaults() {
        Map<String, String> env = new HashMap<>(Map.of("WEFT_PORT", "9000", "WEFT_HOST", "0.0.0.0",
                "WEFT_ROLE", "worker", "WEFT_WORKER_SLOTS", "8", "WEFT_LEASE", "10s", "WEFT_RATE_LIMIT", "2.5",
                "WEFT_FILE_MAX_BYTES", "1000", "WEFT_MASTER_KEY", " k ", "HOSTNAME", "box-1"));
        WeftConfig config = WeftConfig.read(new WeftConfig.Flags(null, 7000, Path.of("/srv/weft"),
                "jdbc:postgresql://db/weft", "api"), env);
        assertThat(config.server().port()).isEqualTo(7000);
        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(config.server().dataDir()).isEqualTo(Path.of("/srv/weft"));
        assertThat(config.server().workerSlots()).isEqualTo(8);
        assertThat(config.cluster().role()).isEqualTo(Role.API);
        assertThat(config.cluster().dbUrl()).isEqualTo("jdbc:postgresql://db/weft");
        assertThat(config.cluster().lease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.run().rateLimit()).isEqualTo(2.5);
        assertThat(config.files().maxBytes()).isEqualTo(1000);
        assertThat(config.masterKey()).isEqualTo("k");
        assertThat(config.hostname()).isEqualTo("box-1");
    }

    @Test
    void a_value_not_understood_is_refused_naming_its_setting() {
        assertThatThrownBy(() -> WeftConfig.read(WeftConfig.Flags.NONE, Map.of("WEFT_WORKER_SLOTS", "many")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WEFT_WORKER_SLOTS");
        assertThatThrownBy(() -> WeftConfig.read(WeftConfig.Flags.NONE, Map.of("WEFT_LEASE", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WEFT_LEASE");
        assertThatThrownBy(() -> WeftConfig.read(WeftConfig.Flags.NONE, Map.of("WEFT_FLOW_CONCURRENCY_MODE", "wait")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WEFT_FLOW_CONCURRENCY_MODE");
    }
}
