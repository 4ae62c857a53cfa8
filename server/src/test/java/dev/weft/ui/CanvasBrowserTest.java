package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The builder's canvas in a real headless Chromium: the canvas fills the window with its controls in view and the
 * panels collapse at 1024x700, auto-layout (undoable), copy/paste/duplicate within and between flows, box select and
 * group move, a sticky note that survives save, reload, publish and a run, the edge delete button, the `?` panel.
 * Screenshots: canvas.png, canvas-1024.png, canvas-notes.png, shortcuts.png (under -Dweft.screenshots).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CanvasBrowserTest extends BrowserTest {

    static final String ADMIN = TestServer.ADMIN_AUTH;

    @RegisterExtension
    final TestWatcher onFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                browser.screenshot(Path.of("target", "e2e-failures", "canvas-" + context.getDisplayName().replaceAll("\\W", "") + ".png"));
            }
        }
    };

    @BeforeAll
    static void start() {
        // lets the test read the system clipboard as a person pasting into another program would see it
        browser.driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", server.base(),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        browser.setUpAdmin(server.base(), "canvas password");
        browser.find("new-flow");
    }

    /** start -> a -> b -> end (templates), placed at scattered points; named so each test has its own flow. */
    static long chain(String name, int[][] at) {
        return chain(name, at, "{{text}}!");
    }

    static long chain(String name, int[][] at, String bTemplate) {
        ObjectNode doc = Json.object().put("name", name);
        ArrayNode nodes = doc.putArray("nodes");
        String[] ids = {"start", "a", "b", "end"};
        for (int i = 0; i < ids.length; i++) {
            ObjectNode node = nodes.addObject().put("id", ids[i]).put("type", i == 0 ? "start" : i == 3 ? "end" : "template");
            node.putObject("position").put("x", at[i][0]).put("y", at[i][1]);
            ObjectNode settings = node.putObject("settings");
            if (i == 0) settings.putObject("inputs").putObject("name").put("type", "string");
            else if (i == 3) settings.putObject("outputs").putObject("text").put("type", "string");
            else settings.put("template", i == 1 ? "Hello, {{name}}" : bTemplate);
        }
        ArrayNode edges = doc.putArray("edges");
        String[][] links = {{"start", "name", "a", "name"}, {"a", "text", "b", "text"}, {"b", "text", "end", "text"}};
        for (String[] l : links) {
            edges.addObject().put("from_node", l[0]).put("to_node", l[2]).putArray("fields_mapping").addObject()
                    .put("from_field", l[1]).put("to_field", l[3]);
        }
        return server.post("/api/v1/flows", Json.write(doc), ADMIN).json().path("id").asLong();
    }

    static final int[][] TIDY = {{0, 0}, {320, 0}, {640, 0}, {960, 0}};

    static void open(long flowId) {
        browser.js("location.hash = arguments[0]", "#/flows/" + flowId);
        browser.until(d -> d.getCurrentUrl().endsWith("#/flows/" + flowId) && !d.findElements(Browser.test("node-start")).isEmpty());
        browser.until(d -> browser.find("save-state").getText().equals("Saved"));
    }

    static JsonNode saved(long flowId) {
        return server.get("/api/v1/flows/" + flowId, ADMIN).json().path("document");
    }

    static void waitSaved() {
        browser.until(d -> browser.find("save-state").getText().equals("Saved"));
    }

    static void keys(CharSequence... keys) {
        new Actions(browser.driver).sendKeys(keys).perform();
    }

    static void ctrl(String key) {
        new Actions(browser.driver).keyDown(Keys.CONTROL).sendKeys(key).keyUp(Keys.CONTROL).perform();
    }

    static WebElement head(String nodeId) {
        return browser.find("node-" + nodeId).findElement(By.className("wnode-head"));
    }

    /** The element's box and the window's size and scroll height, from the page. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> box(String selector) {
        return (Map<String, Object>) browser.js("""
                const r = document.querySelector(arguments[0]).getBoundingClientRect();
                return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width,
                         innerWidth: innerWidth, innerHeight: innerHeight,
                         scroll: document.scrollingElement.scrollHeight };""", selector);
    }

    static double n(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    static void assertInWindow(String selector) {
        Map<String, Object> b = box(selector);
        assertThat(n(b, "top")).as(selector + " top").isGreaterThanOrEqualTo(0);
        assertThat(n(b, "bottom")).as(selector + " bottom").isLessThanOrEqualTo(n(b, "innerHeight"));
        assertThat(n(b, "left")).as(selector + " left").isGreaterThanOrEqualTo(0);
        assertThat(n(b, "right")).as(selector + " right").isLessThanOrEqualTo(n(b, "innerWidth"));
        assertThat(n(b, "scroll")).as("the page does not scroll").isLessThanOrEqualTo(n(b, "innerHeight"));
    }

    @Test
    @Order(1)
    void the_canvas_fills_the_window_with_its_controls_in_view_and_fit_keeps_the_nodes_on_it() {
        long flowId = chain("Full window", new int[][] {{0, 0}, {320, 0}, {640, 200}, {960, 0}});
        open(flowId);
        assertInWindow("[data-test='canvas']");
        assertInWindow(".react-flow__controls");
        assertInWindow(".react-flow__minimap");
        Map<String, Object> canvas = box("[data-test='canvas']");
        assertThat(n(canvas, "bottom")).isEqualTo(n(canvas, "innerHeight"));
        // a filtered palette is shorter; the canvas keeps the window's height (no blank band under it)
        browser.driver.findElement(By.cssSelector(".palette input.search")).sendKeys("zzz");
        browser.until(d -> d.findElements(By.cssSelector(".palette-item")).isEmpty());
        assertThat(n(box("[data-test='canvas']"), "bottom")).isEqualTo(n(canvas, "innerHeight"));
        assertInWindow(".react-flow__controls");
        browser.driver.findElement(By.cssSelector(".palette input.search")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        new Actions(browser.driver).sendKeys(Keys.chord(Keys.SHIFT, "f")).perform();
        for (String id : List.of("start", "a", "b", "end")) {
            browser.until(d -> {
                Map<String, Object> node = box("[data-test='node-" + id + "']");
                return n(node, "left") >= n(canvas, "left") && n(node, "right") <= n(canvas, "right")
                        && n(node, "bottom") <= n(canvas, "bottom");
            });
        }
        browser.screenshot(SCREENSHOTS.resolve("canvas.png"));
    }

    @Test
    @Order(2)
    void at_1024_by_700_the_panels_collapse_the_controls_stay_and_a_clicked_node_lands_in_view() {
        long flowId = chain("Narrow", TIDY);
        browser.driver.manage().window().setSize(new Dimension(1024, 700));
        try {
            open(flowId);
            assertInWindow(".react-flow__controls");
            assertInWindow(".react-flow__minimap");
            browser.screenshot(SCREENSHOTS.resolve("canvas-1024.png"));
            double before = n(box("[data-test='canvas']"), "width");

            browser.click("toggle-palette");
            browser.click("toggle-side");
            browser.until(d -> d.findElements(By.className("palette")).isEmpty() && d.findElements(Browser.test("side-panel")).isEmpty());
            assertThat(n(box("[data-test='canvas']"), "width")).isGreaterThan(before + 400);
            assertInWindow(".react-flow__controls");
            assertInWindow(".react-flow__minimap");

            // the palette back; a click on one of its nodes puts the node where it can be seen
            browser.click("toggle-palette");
            head("b").click();
            browser.click("palette-transform");
            browser.find("node-transform");
            Map<String, Object> canvas = box("[data-test='canvas']");
            Map<String, Object> added = box("[data-test='node-transform']");
            assertThat(n(added, "left")).isGreaterThanOrEqualTo(n(canvas, "left"));
            assertThat(n(added, "right")).isLessThanOrEqualTo(n(canvas, "right"));
            assertThat(n(added, "top")).isGreaterThanOrEqualTo(n(canvas, "top"));
            assertThat(n(added, "bottom")).isLessThanOrEqualTo(n(canvas, "bottom"));
            // not red at once: a hint that it is not connected yet, not the server's to_field "@" message
            browser.find("unconnected-transform");
            assertThat(browser.driver.findElements(Browser.test("problems-transform"))).isEmpty();
            assertThat(browser.driver.getPageSource()).doesNotContain("to_field \"@\"");
            browser.click("toggle-side");
            browser.find("side-panel");
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1440, 900));
        }
    }

    @Test
    @Order(3)
    void auto_layout_lines_the_flow_up_left_to_right_and_ctrl_z_takes_it_back() {
        int[][] scattered = {{900, 600}, {0, 0}, {500, 900}, {100, 400}};
        long flowId = chain("Tidy me", scattered);
        open(flowId);
        browser.click("auto-layout");
        browser.until(d -> saved(flowId).path("nodes").get(3).path("position").path("x").asInt() != 100);
        JsonNode nodes = saved(flowId).path("nodes");
        int[] x = new int[4];
        int[] y = new int[4];
        for (int i = 0; i < 4; i++) {
            x[i] = nodes.get(i).path("position").path("x").asInt();
            y[i] = nodes.get(i).path("position").path("y").asInt();
        }
        assertThat(x[0]).isLessThan(x[1]);
        assertThat(x[1]).isLessThan(x[2]);
        assertThat(x[2]).isLessThan(x[3]);
        for (int i = 1; i < 4; i++) assertThat(Math.abs(y[i] - y[0])).as("one row: nodes differ only in height").isLessThan(60);

        browser.clickEmptyCanvas();
        ctrl("z");
        browser.until(d -> saved(flowId).path("nodes").get(3).path("position").path("x").asInt() == 100);
        assertThat(saved(flowId).path("nodes").get(0).path("position").path("y").asInt()).isEqualTo(600);
    }

    @Test
    @Order(4)
    void copies_pastes_duplicates_and_moves_a_box_selection_within_and_between_flows() {
        long first = chain("Copy from", TIDY);
        long second = chain("Paste into", TIDY);
        open(first);

        // a box around a and b (shift+drag from empty canvas), then a drag of one moves both
        Map<String, Object> a = box("[data-test='node-a']");
        Map<String, Object> b = box("[data-test='node-b']");
        WebElement pane = browser.driver.findElement(By.cssSelector(".react-flow__pane"));
        Map<String, Object> paneBox = box(".react-flow__pane");
        double cx = n(paneBox, "left") + n(paneBox, "width") / 2;
        double cy = (n(paneBox, "top") + n(paneBox, "bottom")) / 2;
        int fromX = (int) (n(a, "left") - 12 - cx);
        int fromY = (int) (Math.min(n(a, "top"), n(b, "top")) - 12 - cy);
        int toX = (int) (n(b, "right") + 12 - cx);
        int toY = (int) (Math.max(n(a, "bottom"), n(b, "bottom")) + 12 - cy);
        new Actions(browser.driver).keyDown(Keys.SHIFT).moveToElement(pane, fromX, fromY).clickAndHold()
                .moveToElement(pane, (fromX + toX) / 2, (fromY + toY) / 2).moveToElement(pane, toX, toY).release()
                .keyUp(Keys.SHIFT).perform();
        browser.until(d -> d.findElements(By.cssSelector(".react-flow__node.selected")).size() == 2);
        new Actions(browser.driver).moveToElement(head("b")).clickAndHold().moveByOffset(20, 20).pause(Duration.ofMillis(50))
                .moveByOffset(30, 40).pause(Duration.ofMillis(50)).release().perform();
        browser.until(d -> saved(first).path("nodes").get(1).path("position").path("y").asInt() != 0);
        JsonNode moved = saved(first).path("nodes");
        int ax = moved.get(1).path("position").path("x").asInt();
        int ay = moved.get(1).path("position").path("y").asInt();
        assertThat(ay).isGreaterThan(0);
        assertThat(moved.get(2).path("position").path("y").asInt()).isEqualTo(ay);
        assertThat(moved.get(2).path("position").path("x").asInt() - ax).isEqualTo(320);
        assertThat(moved.get(0).path("position").path("y").asInt()).isZero();

        // Ctrl+C puts them on the system clipboard as JSON
        ctrl("c");
        String clip = (String) browser.driver.executeAsyncScript(
                "navigator.clipboard.readText().then(arguments[0], (e) => arguments[0]('unreadable: ' + e))");
        assertThat(Json.read(clip).path("weft").asText()).isEqualTo("nodes");
        assertThat(Json.read(clip).path("nodes").findValuesAsText("id")).containsExactly("a", "b");

        // Ctrl+D on a alone: a copy beside it, fed as a is
        browser.clickEmptyCanvas();
        browser.until(d -> d.findElements(By.cssSelector(".react-flow__node.selected")).isEmpty());
        head("a").click();
        browser.until(d -> d.findElements(By.cssSelector(".react-flow__node.selected")).size() == 1);
        ctrl("d");
        browser.find("node-a_2");
        browser.until(d -> saved(first).path("nodes").size() == 5);
        JsonNode copy = saved(first).path("nodes").get(4);
        assertThat(copy.path("id").asText()).isEqualTo("a_2");
        assertThat(copy.path("settings").path("template").asText()).isEqualTo("Hello, {{name}}");
        assertThat(copy.path("position").path("x").asInt()).isEqualTo(ax + 40);
        assertThat(Json.write(saved(first).path("edges").get(3))).isEqualTo(
                "{\"from_node\":\"start\",\"to_node\":\"a_2\",\"fields_mapping\":[{\"from_field\":\"name\",\"to_field\":\"name\"}]}");

        // Ctrl+V in another flow adds a and b under new ids with the edge between them; fed by hand, it saves
        open(second);
        browser.clickEmptyCanvas();
        ctrl("v");
        browser.find("node-a_2");
        browser.find("node-b_2");
        browser.until(d -> d.findElements(By.cssSelector("[data-id='a_2.text>b_2.text']")).size() == 1);
        browser.drag(browser.find("out-start-name"), browser.find("in-a_2-+"));
        browser.until(d -> saved(second).path("nodes").size() == 6);
        JsonNode pasted = saved(second);
        assertThat(pasted.path("nodes").findValuesAsText("id")).containsExactly("start", "a", "b", "end", "a_2", "b_2");
        assertThat(Json.write(pasted.path("edges"))).contains(
                "{\"from_node\":\"a_2\",\"to_node\":\"b_2\",\"fields_mapping\":[{\"from_field\":\"text\",\"to_field\":\"text\"}]}",
                "{\"from_node\":\"start\",\"to_node\":\"a_2\",\"fields_mapping\":[{\"from_field\":\"name\",\"to_field\":\"name\"}]}");
    }

    @Test
    @Order(5)
    void a_sticky_note_survives_save_reload_publish_and_a_run() {
        long flowId = chain("Noted", TIDY);
        open(flowId);
        browser.click("add-note");
        browser.find("note-note_1");
        browser.type("note-text-note_1", "Greets the caller; b adds the !");
        browser.until(d -> saved(flowId).path("notes").path(0).path("text").asText().equals("Greets the caller; b adds the !"));
        waitSaved();

        browser.driver.navigate().refresh();
        browser.until(d -> browser.find("note-text-note_1").getAttribute("value").equals("Greets the caller; b adds the !"));
        browser.screenshot(SCREENSHOTS.resolve("canvas-notes.png"));

        browser.click("publish");
        browser.until(d -> server.get("/api/v1/flows/" + flowId, ADMIN).json().path("latest_version").asInt() == 1);
        JsonNode version = server.get("/api/v1/flows/" + flowId + "/versions/1", ADMIN).json().path("document");
        assertThat(version.path("notes").path(0).path("text").asText()).isEqualTo("Greets the caller; b adds the !");
        assertThat(version.path("nodes")).hasSize(4);
        long task = server.post("/api/v1/scade/flow/" + flowId + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}", ADMIN).json().path("id").asLong();
        JsonNode done = server.awaitTask(task, ADMIN, Duration.ofSeconds(20));
        assertThat(done.path("result").path("text").asText()).isEqualTo("Hello, Ada!");
        keys(Keys.ESCAPE);
    }

    @Test
    @Order(6)
    void the_edge_delete_button_removes_that_connection_only() {
        // a.text also goes to b.who: cutting that one leaves a flow that still saves
        long flowId = chain("Cut an edge", TIDY);
        ObjectNode doc = (ObjectNode) saved(flowId);
        ((ArrayNode) doc.path("edges").get(1).path("fields_mapping")).addObject().put("from_field", "text").put("to_field", "who");
        assertThat(server.send("PUT", "/api/v1/flows/" + flowId, Json.write(doc), "application/json", ADMIN).status()).isEqualTo(200);
        open(flowId);
        String cut = "a.text>b.who";
        WebElement edge = browser.driver.findElement(By.cssSelector("[data-id='" + cut + "'] .react-flow__edge-interaction"));
        new Actions(browser.driver).moveToElement(edge).perform();   // the button shows on hover, where the pointer is
        assertThat(browser.driver.findElements(Browser.test("edge-delete-b.text>end.text"))).isEmpty();
        browser.click("edge-delete-" + cut);
        browser.until(d -> d.findElements(By.cssSelector("[data-id='" + cut + "']")).isEmpty());
        browser.until(d -> !Json.write(saved(flowId).path("edges")).contains("who"));
        assertThat(saved(flowId).path("edges").get(1).path("fields_mapping")).hasSize(1);
        assertThat(browser.driver.findElements(By.cssSelector(".react-flow__edge"))).hasSize(3);
        browser.clickEmptyCanvas();
        ctrl("z");
        browser.until(d -> d.findElements(By.cssSelector("[data-id='" + cut + "']")).size() == 1);
        browser.until(d -> Json.write(saved(flowId).path("edges")).contains("who"));
    }

    @Test
    @Order(7)
    void question_mark_opens_the_shortcuts_and_escape_closes_them() {
        long flowId = chain("Help", TIDY);
        open(flowId);
        browser.clickEmptyCanvas();
        keys("?");
        WebElement panel = browser.find("shortcuts");
        assertThat(panel.getText()).contains("Duplicate the selection").contains("Auto-layout").contains("Add a sticky note");
        browser.screenshot(SCREENSHOTS.resolve("shortcuts.png"));
        keys(Keys.ESCAPE);
        browser.until(d -> d.findElements(Browser.test("shortcuts")).isEmpty());
    }
}
