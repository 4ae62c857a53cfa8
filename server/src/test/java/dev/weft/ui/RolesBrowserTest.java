package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Issue 15 item 7 in a real headless Chromium: a viewer's builder is read only (no palette, no save, publish or run,
 * inspector fields disabled) and nothing the viewer does there — Delete, Backspace, Ctrl+Z, a drag, a paste, a drop
 * from outside, the layout and note shortcuts — sends a request that changes anything, so the server's draft stays
 * exactly as it was; a runner sees Run (and runs the published version) but not Publish. Saves viewer-flows.png,
 * viewer-builder.png (1440 px), viewer-builder-1024.png and runner-builder.png.
 */
class RolesBrowserTest extends BrowserTest {

    static final String PASSWORD = "roles page password";
    /** useDraft's AUTOSAVE_MS: a save an edit would start is sent this long after it. */
    static final int AUTOSAVE_MS = 700;
    /** Records every request the page sends (method and path), so a test can say none of them changed anything. */
    static final String RECORD_REQUESTS = """
            window.__sent = [];
            const original = window.fetch;
            window.fetch = (input, init) => {
              window.__sent.push(((init && init.method) || 'GET') + ' ' + (typeof input === 'string' ? input : input.url));
              return original(input, init);
            };""";

    static long flowId;

    @BeforeAll
    static void start() {
        flowId = server.publishFlow(TestServer.example("hello.json"));
        // the first owner (from this machine no admin token is needed), then a viewer and a runner by invitation
        assertThat(server.post("/api/v1/session/setup", Json.object().put("email", Browser.OWNER_EMAIL)
                .put("password", PASSWORD).toString(), null).status()).isEqualTo(201);
        invite("viewer");
        invite("runner");
    }

    static void invite(String role) {
        TestServer.Answer invitation = server.post("/api/v1/invitations", Json.object().put("role", role).toString(),
                TestServer.ADMIN_AUTH);
        assertThat(invitation.status()).as(invitation.text()).isEqualTo(201);
        TestServer.Answer accepted = server.post("/api/v1/invitations/" + invitation.json().path("token").asText() + "/accept",
                Json.object().put("email", role + "@example.com").put("password", PASSWORD).toString(), null);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(201);
    }

    void signIn(String email) {
        browser.driver.get(server.base() + "/#/flows");
        browser.until(d -> d.getPageSource().contains("Sign in with your email"));
        browser.driver.findElement(By.name("email")).sendKeys(email);
        browser.driver.findElement(By.name("password")).sendKeys(PASSWORD);
        browser.click("sign-in");
        browser.find("nav-account");
    }

    void signOut() {
        browser.click("sign-out");
        browser.until(d -> d.getPageSource().contains("Sign in with your email"));
    }

    /** The flow's draft as the server holds it (document and when it last changed). */
    static JsonNode draft() {
        TestServer.Answer flow = server.get("/api/v1/flows/" + flowId, TestServer.ADMIN_AUTH);
        assertThat(flow.status()).isEqualTo(200);
        return Json.object().put("updated_at", flow.json().path("updated_at").asText())
                .set("document", flow.json().path("document"));
    }

    WebElement node(String id) {
        return browser.find("node-" + id);
    }

    /** The node's place on the canvas in flow coordinates (its own transform; panning moves the viewport instead). */
    String placeOf(String id) {
        return (String) browser.js("return document.querySelector(\"[data-id='" + id + "']\").style.transform");
    }

    boolean absent(String testId) {
        return browser.driver.findElements(Browser.test(testId)).isEmpty();
    }

    @Test
    void a_viewer_reads_the_flow_and_nothing_they_do_in_the_builder_changes_it_and_a_runner_runs_but_cannot_publish() {
        signIn("viewer@example.com");
        browser.find("flow-row-" + flowId);
        assertThat(absent("new-flow")).isTrue();
        assertThat(absent("new-from-template")).isTrue();
        assertThat(absent("import-file")).isTrue();
        assertThat(absent("nav-members")).isTrue();
        assertThat(absent("nav-audit")).isTrue();
        assertThat(browser.find("flow-row-" + flowId).getText()).doesNotContain("Rename", "Delete", "Duplicate");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("viewer-flows.png"));

        browser.driver.findElement(By.cssSelector("a[href='#/flows/" + flowId + "']")).click();
        assertThat(browser.find("read-only").getText()).isEqualTo("Read only — your role is viewer");
        node("greet");
        for (String control : List.of("publish", "open-run", "open-playground", "toggle-palette", "auto-layout", "add-note",
                "save-state")) {
            assertThat(absent(control)).as(control).isTrue();
        }
        assertThat(browser.driver.findElements(By.cssSelector(".palette"))).isEmpty();
        assertThat(browser.find("overview-fields").getAttribute("disabled")).isNotNull();

        JsonNode before = draft();
        browser.js(RECORD_REQUESTS);
        String place = placeOf("greet");
        node("greet").click();
        WebElement fields = browser.find("inspector-fields");
        assertThat(fields.getAttribute("disabled")).isNotNull();
        assertThat(browser.find("setting-template").isEnabled()).isFalse();
        assertThat(browser.find("setting-template").getAttribute("value")).isEqualTo("Hello, {{start.name}}!");
        assertThat(absent("inspector-delete")).isTrue();
        assertThat(absent("node-test")).isTrue();
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("viewer-builder.png"));

        // every way the editor's builder changes a flow: keys, a drag, a paste, a drop from the palette, shortcuts
        new Actions(browser.driver).sendKeys(Keys.DELETE).pause(50).sendKeys(Keys.BACK_SPACE)
                .sendKeys(Keys.chord(Keys.CONTROL, "z")).sendKeys(Keys.chord(Keys.CONTROL, "d"))
                .sendKeys(Keys.chord(Keys.SHIFT, "l")).sendKeys(Keys.chord(Keys.SHIFT, "n")).perform();
        assertThat(browser.driver.findElements(By.cssSelector(".react-flow__node"))).as("nodes after Delete").hasSize(3);
        browser.drag(node("greet"), browser.driver.findElement(By.cssSelector(".react-flow__pane")));
        new Actions(browser.driver).moveToElement(node("greet")).clickAndHold().moveByOffset(120, 90).moveByOffset(40, 30)
                .release().perform();
        browser.js("""
                const clip = { weft: 'nodes', nodes: [{ id: 'pasted', type: 'template', settings: { template: 'x' },
                  position: { x: 10, y: 10 } }], edges: [], notes: [] };
                const data = new DataTransfer();
                data.setData('text/plain', JSON.stringify(clip));
                document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
                const drop = new DataTransfer();
                drop.setData('application/weft-node', 'template');
                const pane = document.querySelector('.react-flow');
                const box = pane.getBoundingClientRect();
                for (const type of ['dragover', 'drop']) {
                  pane.dispatchEvent(new DragEvent(type, { dataTransfer: drop, bubbles: true, cancelable: true,
                    clientX: box.x + 200, clientY: box.y + 200 }));
                }""");
        // A save an edit started would be sent AUTOSAVE_MS after it; a timer set now for twice that fires after it.
        browser.js("window.__settled = false; setTimeout(() => { window.__settled = true; }, arguments[0]);", 2 * AUTOSAVE_MS);
        browser.until(d -> Boolean.TRUE.equals(browser.js("return window.__settled")) ? true : null);

        @SuppressWarnings("unchecked")
        List<String> sent = (List<String>) browser.js("return window.__sent");
        assertThat(sent).allMatch(request -> request.startsWith("GET "));
        assertThat(placeOf("greet")).isEqualTo(place);
        assertThat(browser.driver.findElements(By.cssSelector(".react-flow__node"))).hasSize(3);
        assertThat(draft()).isEqualTo(before);
        assertThat(browser.find("inspector")).isNotNull();   // still selected: the viewer reads its settings
        // the same builder at 1024 px, opened afresh (fitted to the view) with the node selected
        browser.driver.manage().window().setSize(new Dimension(1024, 768));
        browser.driver.navigate().refresh();
        node("greet").click();
        browser.find("inspector-fields");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("viewer-builder-1024.png"));
        browser.driver.manage().window().setSize(new Dimension(1440, 900));

        // the server refuses anyway: the viewer's own session may not save the draft
        Object refused = browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/session').then((r) => r.json()).then((s) => fetch('/api/v1/flows/' + arguments[0], {
                  method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-Weft-Csrf': s.csrf_token },
                  body: JSON.stringify({ name: 'changed', nodes: [], edges: [] }) })).then((r) => done(r.status));""",
                flowId);
        assertThat(refused).isEqualTo(403L);
        assertThat(draft()).isEqualTo(before);
        signOut();

        signIn("runner@example.com");
        browser.driver.findElement(By.cssSelector("a[href='#/flows/" + flowId + "']")).click();
        assertThat(browser.find("read-only").getText()).isEqualTo("Read only — your role is runner");
        assertThat(absent("publish")).isTrue();
        browser.click("open-run");
        assertThat(browser.find("published-note").getText()).contains("published version 1");
        browser.type("run-input-name", "Ada");
        browser.until(d -> "Ada".equals(d.findElement(Browser.test("run-input-name")).getAttribute("value")) ? true : null);
        browser.click("run");
        browser.untilTexts("run-output", outputs -> outputs.stream().anyMatch(text -> text.contains("Hello, Ada!")));
        assertThat(browser.find("run-result").getText()).doesNotContain("draft");
        assertThat(draft()).isEqualTo(before);
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("runner-builder.png"));
    }
}
