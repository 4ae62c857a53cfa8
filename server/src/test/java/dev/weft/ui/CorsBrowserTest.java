package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weft.api.TestServer;
import dev.weft.http.CorsConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A browser app on another origin runs a flow through the run API in a real headless Chromium: a page served from
 * a second loopback port executes the flow with a server key, polls the task until status 3 and shows the result;
 * the same page served from a third port, not in {@code WEFT_CORS_ORIGINS}, is blocked by the browser at the
 * preflight, so no task is started.
 */
class CorsBrowserTest {

    /** The page a client app would be: execute, poll, show; {@code %s}: Weft's base, the flow, the key. */
    static final String PAGE = """
            <!doctype html><html><head><meta charset="utf-8"><title>Scade client</title></head><body>
            <pre data-test="out">waiting</pre>
            <script>
            const base = '%s', flow = %d, key = '%s';
            const out = document.querySelector('[data-test=out]');
            (async () => {
              try {
                const started = await fetch(base + '/api/v1/scade/flow/' + flow + '/execute', {method: 'POST',
                  headers: {'Authorization': key, 'Content-Type': 'application/json', 'Idempotency-Key': 'page-' + location.port},
                  body: JSON.stringify({node_settings: {start: {data: {name: 'Ada'}}}})});
                let task = await started.json();
                while (task.status < 3) {
                  await new Promise((done) => setTimeout(done, 50));
                  task = await (await fetch(base + '/api/v1/task/' + task.id, {headers: {'Authorization': key}})).json();
                }
                out.textContent = 'status ' + task.status + ': ' + task.result.greeting;
              } catch (e) {
                out.textContent = 'blocked: ' + e.name;
              }
            })();
            </script></body></html>""";

    static HttpServer allowedSite;
    static HttpServer otherSite;
    static TestServer server;
    static Browser browser;
    static long flowId;
    static String key;

    @BeforeAll
    static void start() throws IOException {
        allowedSite = site();
        otherSite = site();
        server = TestServer.startWith(config -> config.withCors(CorsConfig.allowing(origin(allowedSite))));
        flowId = server.publishFlow(TestServer.example("hello.json"));
        key = server.newKeyAuth("browser app");
        browser = new Browser(1024, 700);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
        if (allowedSite != null) allowedSite.stop(0);
        if (otherSite != null) otherSite.stop(0);
    }

    /** A web server on a free loopback port serving the client page at {@code /}. */
    static HttpServer site() throws IOException {
        HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        site.createContext("/", exchange -> {
            byte[] page = PAGE.formatted(server.base(), flowId, key).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        });
        site.start();
        return site;
    }

    static String origin(HttpServer site) {
        return "http://127.0.0.1:" + site.getAddress().getPort();
    }

    static int tasks() {
        return server.get("/api/v1/tasks", TestServer.ADMIN_AUTH).json().path("tasks").size();
    }

    @Test
    void a_page_of_an_allowed_origin_executes_a_flow_and_reads_its_result() {
        browser.driver.get(origin(allowedSite) + "/");

        browser.until(d -> !browser.find("out").getText().equals("waiting"));
        assertThat(browser.find("out").getText()).isEqualTo("status 3: Hello, Ada!");
    }

    @Test
    void a_page_of_an_origin_not_listed_is_blocked_by_the_browser() {
        int before = tasks();
        browser.driver.get(origin(otherSite) + "/");

        browser.until(d -> !browser.find("out").getText().equals("waiting"));
        assertThat(browser.find("out").getText()).isEqualTo("blocked: TypeError");
        assertThat(tasks()).as("the preflight stopped the execute").isEqualTo(before);
    }
}
