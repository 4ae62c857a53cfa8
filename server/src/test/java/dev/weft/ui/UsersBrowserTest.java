package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

/**
 * Issue 15 in a real headless Chromium: the owner invites a viewer from the members page, the viewer joins through
 * the link and sees flows without any edit control, the account page lists the viewer's session, and the owner
 * reads the join in the audit log. Saves users-members.png, users-viewer.png, users-account.png and
 * users-audit.png under target/screenshots, or where {@code -Dweft.screenshots} says.
 */
class UsersBrowserTest extends BrowserTest {

    static final String PASSWORD = "users page password";

    @BeforeAll
    static void start() {
        server.publishFlow(TestServer.example("hello.json"));
    }

    @Test
    void an_invited_viewer_joins_sees_no_edit_controls_and_the_owner_reads_it_in_the_audit_log() {
        browser.setUpAdmin(server.base(), PASSWORD);
        browser.find("new-flow");
        browser.click("nav-members");
        assertThat(browser.find("member-row").getText()).contains(Browser.OWNER_EMAIL, "owner", "(you)");
        browser.choose("invite-role", "viewer");
        browser.click("invite");
        String link = browser.find("invite-link").getText();
        assertThat(link).startsWith(server.base() + "/#/invite/");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("users-members.png"));

        browser.click("sign-out");
        browser.until(d -> d.getPageSource().contains("Sign in with your email"));
        browser.driver.get(link);
        browser.driver.navigate().refresh();   // the hash changed only: load the page the link opens
        browser.type("invite-email", "viewer@example.com");
        browser.type("invite-password", "viewer password 1");
        browser.click("invite-accept");
        browser.until(d -> d.findElements(By.cssSelector("a[href='#/flows/1']")).isEmpty() ? null : true);
        assertThat(browser.driver.findElements(Browser.test("new-flow"))).isEmpty();
        assertThat(browser.driver.findElements(Browser.test("nav-members"))).isEmpty();
        assertThat(browser.driver.findElement(By.cssSelector("table")).getText()).doesNotContain("Rename", "Delete");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("users-viewer.png"));

        browser.click("nav-account");
        assertThat(browser.find("account-email").getText()).isEqualTo("viewer@example.com");
        assertThat(browser.find("session-row").getText()).contains("(this browser)");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("users-account.png"));

        browser.click("sign-out");
        browser.until(d -> d.getPageSource().contains("Sign in with your email"));
        browser.driver.findElement(By.name("email")).sendKeys(Browser.OWNER_EMAIL);
        browser.driver.findElement(By.name("password")).sendKeys(PASSWORD);
        browser.click("sign-in");
        browser.click("nav-audit");
        browser.untilTexts("audit-row", rows -> rows.stream()
                .anyMatch(row -> row.contains("invitation.accept") && row.contains("viewer@example.com")));
        browser.type("audit-actor", "viewer@example.com");
        browser.untilTexts("audit-row", rows -> !rows.isEmpty()
                && rows.stream().allMatch(row -> row.contains("viewer@example.com")));
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("users-audit.png"));

        browser.driver.manage().window().setSize(new Dimension(1024, 700));
        try {
            assertThat(browser.find("audit-actor").isDisplayed()).isTrue();
            assertThat(browser.find("audit-action").isDisplayed()).isTrue();
            assertThat((Boolean) browser.js("return document.documentElement.scrollWidth"
                    + " <= document.documentElement.clientWidth")).as("nothing scrolls sideways").isTrue();
            browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("users-audit-1024.png"));
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1440, 900));
        }
    }
}
