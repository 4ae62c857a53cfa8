package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import org.junit.jupiter.api.Test;

/**
 * A flow's schedules page in a real headless Chromium: the editor shows the server's reading of the expression as
 * it is typed (the next fire times in the chosen zone, or why it is refused), a save with inputs that do not fit is
 * refused naming the input, a good one is listed with its next runs, and the toggle pauses it. Saves
 * schedules-editor.png and schedules-list.png under target/screenshots, or where {@code -Dweft.screenshots} says.
 */
class SchedulesBrowserTest extends BrowserTest {

    /** The text of the first element with {@code testId} ("" when there is none), read at once (React re-renders). */
    private static String text(String testId) {
        return String.valueOf(browser.js("const e = document.querySelector(\"[data-test='" + testId + "']\");"
                + " return e ? e.textContent : '';"));
    }

    private static void awaitText(String testId, String part) {
        browser.until(d -> text(testId).contains(part) ? true : null);
    }

    @Test
    void a_schedule_is_made_with_a_preview_of_its_fire_times_then_paused() {
        long flow = server.publishFlow(TestServer.example("hello.json"));
        browser.setUpAdmin(server.base(), "schedules page password");
        browser.find("nav-schedules");
        browser.driver.get(server.base() + "/#/flows/" + flow + "/schedules");
        browser.click("new-schedule");

        browser.type("schedule-cron-input", "* * * * * *");
        awaitText("schedule-preview-error", "fires every 1 s");
        browser.type("schedule-cron-input", "0 9 * * 1-5");
        browser.type("schedule-zone", "Europe/Paris");
        String runs = browser.until(d -> {
            Object texts = browser.js("return [...document.querySelectorAll(\"[data-test='schedule-preview'] li\")]"
                    + ".map(e => e.textContent).join('\\n')");
            return String.valueOf(texts).split("\n").length == 5 && String.valueOf(texts).contains("+0")
                    ? String.valueOf(texts) : null;
        });
        assertThat(runs.split("\n")).allSatisfy(run -> assertThat(run).containsPattern("09:00 \\+0[12]:00"));

        browser.type("schedule-inputs", "{}");
        browser.click("save-schedule");
        String refused = browser.until(d -> {
            String page = d.getPageSource();
            return page.contains("inputs.name") ? page : null;
        });
        assertThat(refused).contains("is required");
        browser.type("schedule-inputs", "{\"name\": \"Ada\"}");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("schedules-editor.png"));
        browser.click("save-schedule");

        awaitText("schedule-row", "0 9 * * 1-5");
        assertThat(text("schedule-row")).contains("0 9 * * 1-5", "Europe/Paris", "09:00", "none yet", "skip");
        JsonNode stored = server.get("/api/v1/flows/" + flow + "/schedules", TestServer.ADMIN_AUTH).json()
                .path("schedules").get(0);
        assertThat(stored.path("inputs").path("name").asText()).isEqualTo("Ada");
        assertThat(stored.path("enabled").asBoolean()).isTrue();
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("schedules-list.png"));

        browser.click("schedule-enabled");
        awaitText("schedule-next", "paused");
        assertThat(server.get("/api/v1/flows/" + flow + "/schedules", TestServer.ADMIN_AUTH).json()
                .path("schedules").get(0).path("enabled").asBoolean()).isFalse();
    }
}
