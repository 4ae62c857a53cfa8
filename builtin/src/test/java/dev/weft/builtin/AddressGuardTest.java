package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.json.Json;
import dev.weft.node.NodeException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {

    private final AddressGuard guard = AddressGuard.publicOnly();

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/", "http://172.16.5.4/", "http://192.168.1.1/", "http://100.64.0.1/", "http://0.0.0.0/",
            "http://0.1.2.3/", "http://224.0.0.1/", "http://255.255.255.255/", "http://[fe80::1]/", "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/", "http://[::10.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:7f00:1::]/",
            "http://[::]/"})
    void the_default_guard_refuses_non_public_addresses(String url) {
        assertThatThrownBy(() -> guard.check(URI.create(url)))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("address_refused");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).endsWith("; set WEFT_HTTP_ALLOW_PRIVATE=true to allow");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.215.14/", "http://8.8.8.8:8080/dns", "http://[2606:4700:4700::1111]/",
            "http://100.128.0.1/", "http://172.32.0.1/"})
    void the_default_guard_lets_public_addresses_through(String url) {
        assertThatCode(() -> guard.check(URI.create(url))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://93.184.215.14/", "file:///etc/passwd", "gopher://93.184.215.14/"})
    void schemes_other_than_http_are_refused_even_when_private_addresses_are_allowed(String url) {
        assertThatThrownBy(() -> AddressGuard.allowingPrivate().check(URI.create(url)))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.type()).isEqualTo("address_refused"));
    }

    @Test
    void the_http_node_with_default_options_refuses_a_loopback_server_before_connecting() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            String url = "http://127.0.0.1:" + server.getPort() + "/";

            assertThatThrownBy(() -> new HttpNode(HttpNode.Options.DEFAULT).run(call(json("{'url': '" + url + "'}"),
                    Json.object())))
                    .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.getMessage()).isEqualTo(
                            url + " resolves to 127.0.0.1, a loopback address; set WEFT_HTTP_ALLOW_PRIVATE=true to allow"));
            assertThat(server.getRequestCount()).isZero();
        }
    }

    @Test
    void every_redirect_hop_passes_the_guard() throws Exception {
        // Allows the test server (loopback) but nothing else private, such as a cloud metadata address.
        HttpNode node = new HttpNode(HttpNode.Options.DEFAULT, new AddressGuard(InetAddress::isLoopbackAddress));
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            server.enqueue(new MockResponse.Builder().code(302)
                    .addHeader("Location", "http://169.254.169.254/latest/meta-data/").build());

            assertThatThrownBy(() -> node.run(call(json("{'url': 'http://127.0.0.1:" + server.getPort() + "/go'}"),
                    Json.object())))
                    .isInstanceOfSatisfying(NodeException.class, e -> {
                        assertThat(e.type()).isEqualTo("address_refused");
                        assertThat(e.getMessage()).isEqualTo("http://169.254.169.254/latest/meta-data/ resolves to"
                                + " 169.254.169.254, a link-local address; set WEFT_HTTP_ALLOW_PRIVATE=true to allow");
                    });
            assertThat(server.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void the_operator_allows_private_addresses_through_the_environment() {
        assertThat(HttpNode.Options.fromEnvironment(Map.of("WEFT_HTTP_ALLOW_PRIVATE", "true")).allowPrivate()).isTrue();
        assertThat(HttpNode.Options.fromEnvironment(Map.of()).allowPrivate()).isFalse();
        assertThat(HttpNode.Options.fromEnvironment(Map.of()).maxResponseBytes()).isEqualTo(10L * 1024 * 1024);
    }

    @Test
    void only_addresses_written_out_count_as_literal() {
        assertThat(AddressGuard.literal("127.0.0.1")).isTrue();
        assertThat(AddressGuard.literal("[::1]")).isTrue();
        assertThat(AddressGuard.literal("localhost")).isFalse();
        assertThat(AddressGuard.literal("example.com")).isFalse();
        assertThat(AddressGuard.literal("1.2.3.4.example.com")).isFalse();
        assertThat(AddressGuard.literal(null)).isFalse();
    }
}
