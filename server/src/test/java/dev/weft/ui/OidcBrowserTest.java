package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.team.OidcProviderHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Single sign-on in a real headless Chromium through a real OpenID Connect provider (mock-oauth2-server's
 * interactive login form on loopback): Weft's sign-in page shows the button, the provider's form signs the person
 * in, and the browser comes back to Weft signed in with the role its groups map to; an email outside the allowed
 * domains comes back to the sign-in page with the refusal in words. Saves oidc-signin.png and oidc-refused.png.
 */
class OidcBrowserTest {

    static OidcProviderHarness provider;
    static TestServer server;
    static Browser browser;

    @BeforeAll
    static void start() {
        provider = new OidcProviderHarness(true);
        server = TestServer.startWith(config -> config.withOidc(provider.config("Acme SSO")));
        TestServer.Answer owner = server.post("/api/v1/session/setup",
                "{\"email\":\"owner@example.com\",\"password\":\"owner password 1\"}", null);
        assertThat(owner.status()).as(owner.text()).isEqualTo(201);
        browser = new Browser(1280, 860);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
        if (provider != null) provider.close();
    }

    /** Fills the provider's login form: a subject and the claims its ID token will carry. */
    static void signInAtProvider(String subject, String claimsJson) {
        browser.until(d -> d.findElements(By.name("username")).isEmpty() ? null : true);
        browser.driver.findElement(By.name("username")).sendKeys(subject);
        browser.driver.findElement(By.name("claims")).sendKeys(claimsJson);
        browser.driver.findElement(By.cssSelector("input[type='submit']")).click();
    }

    @Test
    void a_person_signs_in_through_the_provider_and_comes_back_signed_in_with_the_mapped_role() {
        browser.driver.get(server.base() + "/");
        assertThat(browser.find("sso-sign-in").getText()).isEqualTo("Sign in with Acme SSO");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("oidc-signin.png"));

        browser.click("sso-sign-in");
        browser.until(d -> d.getCurrentUrl().startsWith(provider.issuer()) ? true : null);
        signInAtProvider("sam-subject", "{\"email\":\"sam@example.com\",\"email_verified\":true,\"groups\":[\"weft-editors\"]}");
        browser.until(d -> d.getCurrentUrl().startsWith(server.base()) ? true : null);
        assertThat(browser.find("nav-account").getText()).isEqualTo("sam@example.com");
        assertThat(browser.find("nav-account").getAttribute("title")).contains("(editor)");
        browser.find("new-flow");   // an editor may build

        browser.click("sign-out");
        browser.click("sso-sign-in");
        signInAtProvider("far-subject", "{\"email\":\"far@elsewhere.org\",\"email_verified\":true}");
        assertThat(browser.find("sso-error").getText()).contains("outside the email domains");
        assertThat(browser.driver.getCurrentUrl()).doesNotContain("sso_error");   // said once, not on every reload
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("oidc-refused.png"));
    }
}
