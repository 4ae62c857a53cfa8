package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * A flow's schedules page in a real headless Chromium: the editor shows the server's reading of the expression as
 * it is typed (the next fire times in the chosen zone, or why it is refused), a save with inputs that do not fit is
 * refused naming the input, a good one is listed with its next runs, and the toggle pauses it. Saves
 * schedules-editor.png and schedules-list.png under target/screenshots, or where {@code -Dweft.screenshots} says.
 */
class SchedulesBrowserTest {

    static TestServer server;
    static Browser browser;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        browser = new Browser(1440, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    void a_schedule_is_made_with_a_preview_of_its_fire_times_then_paused() {
        long flow = server.publishFlow(TestServer.example("hello.json"));
        browser.setUpAdmin(server.base(), "schedules page password");
        browser.find("nav-schedules");
        browser.driver.get(server.base() + "/#/flows/" + flow + "/schedules");
        browser.click("new-schedule");

        browser.type("schedule-cron-input", "* * * * * *");
        assertThat(browser.find("schedule-preview-error").getText()).contains("fires every 1 s");
        browser.type("schedule-cron-input", "0 9 * * 1-5");
        browser.type("schedule-zone", "Europe/Paris");
        List<WebElement> runs = browser.until(d -> {
            List<WebElement> items = d.findElements(Browser.test("schedule-preview")).get(0)
                    .findElements(org.openqa.selenium.By.tagName("li"));
            return items.size() == 5 && items.get(0).getText().contains("+0") ? items : null;
        });
        assertThat(runs).allSatisfy(run -> assertThat(run.getText()).containsPattern("09:00 \\+0[12]:00"));

        browser.type("schedule-inputs", "{}");
        browser.click("save-schedule");
        assertThat(browser.until(d -> {
            String page = d.getPageSource();
            return page.contains("inputs.name") ? page : null;
        })).contains("is required");
        browser.type("schedule-inputs", "{\"name\": \"Ada\"}");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("schedules-editor.png"));
        browser.click("save-schedule");

        WebElement row = browser.find("schedule-row");
        assertThat(row.getText()).contains("0 9 * * 1-5", "Europe/Paris", "09:00", "none yet", "skip");
        JsonNode stored = server.get("/api/v1/flows/" + flow + "/schedules", TestServer.ADMIN_AUTH).json()
                .path("schedules").get(0);
        assertThat(stored.path("inputs").path("name").asText()).isEqualTo("Ada");
        assertThat(stored.path("enabled").asBoolean()).isTrue();
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("schedules-list.png"));

        browser.click("schedule-enabled");
        browser.until(d -> d.findElement(Browser.test("schedule-next")).getText().contains("paused") ? true : null);
        assertThat(server.get("/api/v1/flows/" + flow + "/schedules", TestServer.ADMIN_AUTH).json()
                .path("schedules").get(0).path("enabled").asBoolean()).isFalse();
    }
}
