package dev.weft.ui;

import dev.weft.api.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every browser test starts the same way: a Weft server on a free loopback port and a headless Chromium
 * (1440x900), once for the test class and stopped after it. A subclass's own {@code @BeforeAll} runs after this one's
 * (the server and browser are up), its {@code @AfterAll} before this one's.
 */
abstract class BrowserTest {

    /** Where screenshots go: target/screenshots, or where {@code -Dweft.screenshots} says (docs/screenshots). */
    static final Path SCREENSHOTS = Path.of(System.getProperty("weft.screenshots", "target/screenshots"));

    static TestServer server;
    static Browser browser;

    @BeforeAll
    static void startServerAndBrowser() {
        server = TestServer.start();
        browser = new Browser(1440, 900);
    }

    @AfterAll
    static void stopServerAndBrowser() {
        if (browser != null) browser.close();
        if (server != null) server.close();
        browser = null;
        server = null;
    }
}
