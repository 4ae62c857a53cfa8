package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The Webhooks page of a flow, in a real headless Chromium: a GitHub-signed webhook made from the builder's link,
 * its URL shown once with a curl example that (run as shown, with the secret set) starts the flow, then revoked.
 * Saves webhooks-new.png, webhooks-url.png and webhooks-list.png under target/screenshots (or -Dweft.screenshots).
 */
class WebhooksBrowserTest extends BrowserTest {

    static final String SECRET = "browser-hook-secret-9c1";

    @BeforeAll
    static void start() {
        browser.setUpAdmin(server.base(), "webhooks page password");
    }

    private static void typed(String testId, String text) {
        browser.type(testId, text);
        browser.until(d -> text.equals(browser.find(testId).getAttribute("value")));
    }

    @Test
    void a_signed_webhook_is_made_its_curl_example_starts_the_flow_and_revoking_it_stops_its_url() throws Exception {
        long flow = server.publishFlow(TestServer.example("hello.json"));
        server.post("/api/v1/credentials", Json.write(Json.object().put("name", "github-hook").put("type", "api_key")
                .put("secret", SECRET)), TestServer.ADMIN_AUTH);
        browser.driver.get(server.base() + "/#/flows/" + flow);
        browser.click("open-webhooks");
        browser.until(d -> d.getPageSource().contains("No webhooks"));

        browser.click("new-webhook");
        typed("webhook-name", "GitHub pushes");
        browser.choose("webhook-preset", "github");
        browser.choose("webhook-secret", "github-hook");
        typed("webhook-mapping", "{\"name\": body.name}");
        browser.choose("webhook-mode", "wait");
        typed("webhook-wait", "10");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("webhooks-new.png"));
        browser.click("create-webhook");

        String url = browser.find("webhook-url").getText();
        assertThat(url).matches(java.util.regex.Pattern.quote(server.base()) + "/hooks/whk_[A-Za-z0-9_-]{43}");
        String curl = browser.find("webhook-curl").getText();
        assertThat(curl).contains("X-Hub-Signature-256: sha256=$SIG", "openssl dgst -sha256 -hmac");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("webhooks-url.png"));
        JsonNode task = new PublishedSnippet("curl", "WEBHOOK_SECRET='" + SECRET + "'\n" + curl).run("");
        assertThat(task.path("status").asInt()).as(task.toString()).isEqualTo(3);
        assertThat(task.path("result").path("greeting").asText()).isEqualTo("Hello, Ada!");
        assertThat(task.path("trigger").path("kind").asText()).isEqualTo("webhook");

        browser.click("webhook-done");
        WebElement row = browser.find("webhook-row");
        assertThat(row.getText()).contains("GitHub pushes", "GitHub · mapped inputs · waits up to 10 s", "live");
        assertThat(browser.driver.getPageSource()).doesNotContain(url.substring(url.lastIndexOf('/') + 1));
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("webhooks-list.png"));

        browser.click("revoke-webhook");
        browser.click("confirm");
        browser.until(d -> browser.find("webhook-state").getText().startsWith("revoked"));
        HttpResponse<String> after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Ada\"}")).header("Content-Type", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(404);
    }
}
