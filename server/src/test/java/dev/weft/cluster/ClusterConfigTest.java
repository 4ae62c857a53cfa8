package dev.weft.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.server.ClusterConfig;
import dev.weft.server.Role;
import dev.weft.server.ServerConfig;
import dev.weft.server.WeftConfig;
import dev.weft.server.WeftServer;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

    @Test
    void durations_are_written_the_short_way_or_in_iso_8601() {
        assertThat(ClusterConfig.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ClusterConfig.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ClusterConfig.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ClusterConfig.duration("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(ClusterConfig.duration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ClusterConfig.duration("PT90S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ClusterConfig.retention("off")).isNull();
        assertThatThrownBy(() -> ClusterConfig.duration("soon")).hasMessageContaining("not a duration: 'soon'");
    }

    @Test
    void roles_say_what_a_process_does() {
        assertThat(Role.parse("all")).matches(r -> r.servesApi() && r.runsTasks());
        assertThat(Role.parse("API")).matches(r -> r.servesApi() && !r.runsTasks());
        assertThat(Role.parse("worker")).matches(r -> !r.servesApi() && r.runsTasks());
        assertThatThrownBy(() -> Role.parse("boss")).hasMessageContaining("expected all, api or worker");
        assertThatThrownBy(() -> ClusterConfig.defaults().withLease(Duration.ofMillis(10)))
                .hasMessageContaining("at least 1s");
    }

    @Test
    void the_embedded_database_refuses_split_roles() throws Exception {
        ServerConfig config = ServerConfig.defaults().withPort(0).withDataDir(Files.createTempDirectory("weft-roles"))
                .withAdminToken("roles");
        assertThatThrownBy(() -> WeftServer.start(WeftConfig.defaults().withServer(config)
                .withCluster(ClusterConfig.defaults().withRole(Role.WORKER))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--db-url");
    }
}
