package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.auth.Callers;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Deleting a workspace in a real headless Chromium: the owner makes "Lab", opens Members, and deletes it; while it
 * still holds a flow the dialog says so and nothing goes; once the flow is deleted the page lands in the default
 * workspace and Lab is no longer in the switcher. The default workspace offers no delete, and a new name. Saves
 * workspace-delete.png and workspace-delete-1024.png.
 */
class WorkspaceDeletionBrowserTest extends BrowserTest {

    /** The switcher's workspace; empty while the page reloads under it (its elements go stale or leave the page). */
    private static String selected() {
        try {
            return new Select(browser.find("workspace-switcher")).getFirstSelectedOption().getText();
        } catch (WebDriverException e) {
            return "";
        }
    }

    @Test
    void the_owner_deletes_a_workspace_once_it_holds_nothing() {
        browser.setUpAdmin(server.base(), "workspace delete password");
        browser.find("new-flow");
        browser.choose("workspace-switcher", "new");
        browser.type("workspace-name", "Lab");
        browser.until(d -> browser.find("workspace-create").isEnabled() ? true : null);
        browser.click("workspace-create");
        browser.until(d -> "Lab".equals(selected()) ? true : null);
        String lab = new Select(browser.find("workspace-switcher")).getFirstSelectedOption().getAttribute("value");
        TestServer.Answer flow = server.post("/api/v1/flows", TestServer.example("hello.json"), TestServer.ADMIN_AUTH,
                Callers.WORKSPACE_HEADER, lab);
        assertThat(flow.status()).as(flow.text()).isEqualTo(201);

        browser.driver.get(server.base() + "/#/members");
        browser.click("workspace-delete");
        WebElement confirm = browser.find("workspace-delete-confirm");
        assertThat(confirm.isEnabled()).as("the name must be typed first").isFalse();
        browser.type("workspace-delete-name", "Lab");
        browser.until(d -> confirm.isEnabled() ? true : null);
        confirm.click();
        browser.until(d -> browser.find("workspace-delete-confirm").findElement(org.openqa.selenium.By.xpath(
                "ancestor::div[@role='dialog']")).getText().contains("is not empty: it holds 1 flow") ? true : null);
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("workspace-delete.png"));
        browser.driver.manage().window().setSize(new Dimension(1024, 700));
        try {   // the dialog's buttons stay in the window
            browser.until(d -> ((Number) browser.js("return window.innerWidth;")).intValue() <= 1024 ? true : null);
            assertThat(browser.js("const r = document.querySelector('[data-test=workspace-delete-confirm]')"
                    + ".getBoundingClientRect(); return r.right <= window.innerWidth && r.bottom <= window.innerHeight;"))
                    .isEqualTo(true);
            browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("workspace-delete-1024.png"));
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1440, 900));
        }
        assertThat(server.get("/api/v1/flows/" + flow.json().path("id").asLong(), TestServer.ADMIN_AUTH,
                Callers.WORKSPACE_HEADER, lab).status()).as("nothing deleted").isEqualTo(200);

        assertThat(server.delete("/api/v1/flows/" + flow.json().path("id").asLong(), TestServer.ADMIN_AUTH,
                Callers.WORKSPACE_HEADER, lab).status()).isEqualTo(204);
        browser.click("workspace-delete-confirm");
        browser.until(d -> "Default".equals(selected()) ? true : null);
        assertThat(new Select(browser.find("workspace-switcher")).getOptions()).extracting(WebElement::getText)
                .containsExactly("Default", "New workspace…");

        browser.driver.get(server.base() + "/#/members");
        assertThat(browser.find("workspace-default-note").getText()).contains("cannot be deleted");
        assertThat(browser.driver.findElements(Browser.test("workspace-delete"))).isEmpty();

        // and its name can change
        browser.type("workspace-rename-name", "Main");
        browser.click("workspace-rename");
        browser.until(d -> "Main".equals(selected()) ? true : null);
    }
}
