package dev.weft.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromedriver}, which .ci/run installs) with a
 * fresh profile, and the few helpers the UI tests use: find by {@code data-test}, wait, type, drag, screenshot.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(20);

    final ChromeDriver driver;
    private final Path profile;

    Browser(int width, int height) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the UI tests need Debian's chromium and chromium-driver: "
                    + "apt-get update && apt-get install -y chromium chromium-driver (.ci/run does this)");
        }
        try {
            profile = Files.createTempDirectory("weft-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    static By test(String id) {
        return By.cssSelector("[data-test='" + id + "']");
    }

    /**
     * Waits for {@code condition}; on a timeout the failure carries the text the page showed then (an error note, a
     * run's state), so that a failure in CI says what the browser saw.
     */
    <T> T until(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, WAIT).until(condition);
        } catch (TimeoutException e) {
            if (e.getMessage() != null && e.getMessage().contains(PAGE_SHOWED)) throw e;   // told by an inner wait
            throw new TimeoutException(e.getMessage() + "\n" + PAGE_SHOWED + "\n" + visibleText(), e);
        }
    }

    private static final String PAGE_SHOWED = "The page showed then:";

    /**
     * The open panels', error notes' and node problems' text first (a run's result or error is there, and CI keeps
     * only the start of a long message), the builder's save state, then the whole page's, each cut at 4,000 characters.
     */
    private String visibleText() {
        try {
            StringBuilder text = new StringBuilder();
            for (WebElement panel : driver.findElements(By.cssSelector(".panel, .note-error, .wnode-problems, [role='alert']"))) {
                if (panel.isDisplayed()) text.append("[panel] ").append(cut(panel.getText())).append('\n');
            }
            for (WebElement titled : driver.findElements(test("save-state"))) {
                text.append("[save-state] ").append(titled.getText()).append(": ").append(titled.getAttribute("title")).append('\n');
            }
            return text.append("[page] ").append(cut(driver.findElement(By.tagName("body")).getText())).toString();
        } catch (RuntimeException e) {
            return "(its text could not be read: " + e.getMessage() + ")";
        }
    }

    private static String cut(String text) {
        return text.length() > 4000 ? text.substring(0, 4000) + " [...]" : text;
    }

    WebElement find(String testId) {
        return until(d -> {
            List<WebElement> found = d.findElements(test(testId));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /** The email {@link #setUpAdmin} gives the first owner. */
    static final String OWNER_EMAIL = "owner@example.com";
    /** What the first screen of a fresh install says (issue 15: it makes the first owner). */
    static final String FIRST_SCREEN = "Create the first owner";

    /**
     * Opens a new server's UI at {@code base} and makes its first owner ({@value #OWNER_EMAIL} with {@code password};
     * the first screen of a fresh install), which signs the browser in.
     */
    void setUpAdmin(String base, String password) {
        driver.get(base + "/");
        until(d -> d.getPageSource().contains(FIRST_SCREEN));
        driver.findElement(By.name("email")).sendKeys(OWNER_EMAIL);
        driver.findElement(By.name("password")).sendKeys(password);
        driver.findElement(By.name("repeat")).sendKeys(password);
        click("sign-in");
    }

    void click(String testId) {
        find(testId).click();
    }

    /**
     * Acts on the select {@code testId} as found afresh, again if a re-render replaced it between finding and acting
     * (a stale element): a select held across a save may be a new element by the time it is used.
     */
    <T> T withSelect(String testId, Function<Select, T> act) {
        return until(d -> {
            List<WebElement> found = d.findElements(test(testId));
            if (found.isEmpty()) return null;
            try {
                return act.apply(new Select(found.get(0)));
            } catch (StaleElementReferenceException replaced) {
                return null;
            }
        });
    }

    /**
     * Waits until the texts of the elements {@code testId}, read together, satisfy {@code condition}, and returns them;
     * a list that a re-render replaced while it was being read (a stale element) is read again.
     */
    List<String> untilTexts(String testId, java.util.function.Predicate<List<String>> condition) {
        return until(d -> {
            try {
                List<String> texts = d.findElements(test(testId)).stream().map(WebElement::getText).toList();
                return condition.test(texts) ? texts : null;
            } catch (StaleElementReferenceException replaced) {
                return null;
            }
        });
    }

    /** Chooses the option of value {@code value} in the select {@code testId}. */
    void choose(String testId, String value) {
        withSelect(testId, select -> {
            select.selectByValue(value);
            return true;
        });
    }

    /** The text of the option chosen in the select {@code testId}, read from the select as it is now. */
    String chosen(String testId) {
        return withSelect(testId, select -> select.getFirstSelectedOption().getText());
    }

    /** Replaces an input's text the way a person does (select all, type), so React sees every change. */
    void type(String testId, String text) {
        WebElement input = find(testId);
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        input.sendKeys(text);
    }

    /** Drags from one element to another with real pointer events, in small steps as a hand would. */
    void drag(WebElement from, WebElement to) {
        Duration beat = Duration.ofMillis(60);
        new Actions(driver).moveToElement(from).pause(beat).clickAndHold().pause(beat).moveByOffset(10, 4).pause(beat)
                .moveByOffset(10, 4).pause(beat).moveToElement(to).pause(beat).moveByOffset(1, 0).pause(beat)
                .release().perform();
    }

    /**
     * Clicks the canvas where nothing is drawn, as a person clicks beside the flow to deselect. Never the pane's
     * centre: an edge often runs through it, and hovering an edge shows its delete button right there, so under load
     * the click can land on that button (CI lost a flow's only edge that way).
     */
    void clickEmptyCanvas() {
        WebElement pane = driver.findElement(By.cssSelector(".react-flow__pane"));
        @SuppressWarnings("unchecked")
        List<Number> spot = (List<Number>) js("""
                const pane = arguments[0], r = pane.getBoundingClientRect();
                const clear = (x, y) => [-30, 0, 30].every((dx) => [-30, 0, 30].every((dy) =>
                    document.elementFromPoint(x + dx, y + dy) === pane));
                for (let y = r.top + 40; y < r.bottom - 40; y += 20)
                  for (let x = r.left + 40; x < r.right - 40; x += 20)
                    if (clear(x, y)) return [x - (r.left + r.width / 2), y - (r.top + r.height / 2)];
                return null;""", pane);
        if (spot == null) throw new IllegalStateException("the canvas has no empty spot to click");
        new Actions(driver).moveToElement(pane, spot.get(0).intValue(), spot.get(1).intValue()).click().perform();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary profile is harmless
        }
    }
}
