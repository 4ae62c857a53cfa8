package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.Select;

/**
 * Issue 15 item 2 in a real headless Chromium: the owner makes a new workspace from the top bar's switcher, lands in
 * it (its flow list empty: the page reads the new workspace), and switches back to the default one, whose flow is
 * there again; at 1440 and 1024 px the top bar does not wrap and Sign out stays in view. Saves ws-switcher.png and
 * ws-switcher-1024.png.
 */
class WorkspaceSwitcherBrowserTest extends BrowserTest {

    @BeforeAll
    static void start() {
        server.publishFlow(TestServer.example("hello.json"));
    }

    private static void topBarFits() {
        assertThat(browser.js("const bar = document.querySelector('.topbar');"
                + " return bar.scrollWidth <= bar.clientWidth && bar.getBoundingClientRect().height <= 60;"))
                .isEqualTo(true);
        assertThat(browser.find("sign-out").isDisplayed()).isTrue();
        assertThat(browser.js("const r = document.querySelector('[data-test=sign-out]').getBoundingClientRect();"
                + " return r.right <= window.innerWidth;")).isEqualTo(true);
    }

    @Test
    void the_owner_makes_a_workspace_switches_into_it_and_back() {
        browser.setUpAdmin(server.base(), "switcher page password");
        browser.find("flow-row-1");
        assertThat(browser.chosen("workspace-switcher")).isEqualTo("Default");
        topBarFits();

        browser.choose("workspace-switcher", "new");
        browser.type("workspace-name", "Team B");
        browser.until(d -> browser.find("workspace-create").isEnabled() ? true : null);
        browser.click("workspace-create");
        // the page reloads in the new workspace: its switcher names it, its flow list is empty
        browser.until(d -> "Team B".equals(browser.chosen("workspace-switcher")) ? true : null);
        browser.until(d -> d.getPageSource().contains("data-test=\"new-flow\"") ? true : null);
        assertThat(browser.driver.findElements(Browser.test("flow-row-1"))).isEmpty();
        topBarFits();
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("ws-switcher.png"));

        new Select(browser.find("workspace-switcher")).selectByVisibleText("Default");
        browser.find("flow-row-1");
        assertThat(browser.chosen("workspace-switcher")).isEqualTo("Default");

        browser.driver.manage().window().setSize(new Dimension(1024, 768));
        browser.until(d -> ((Number) browser.js("return window.innerWidth;")).intValue() <= 1024 ? true : null);
        topBarFits();
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("ws-switcher-1024.png"));
    }
}
