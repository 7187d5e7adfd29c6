package io.tessera.nativetests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser: a head and two worker nodes (real JVMs, the dashboard on their
 * class path), headless Chromium driven through Debian's chromedriver. Asserts what a person sees on
 * the overview — every node, a CPU chart with data points — and saves a screenshot of each page
 * under native-tests/target/dashboard/ (docs/dashboard/ with -Dtessera.screenshots=docs). Skips, saying
 * why, without Chromium or its driver (bin/install-test-deps installs them).
 */
@Timeout(240)
class DashboardBrowserTest
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Pattern DASHBOARD_LINE = Pattern.compile("tessera: dashboard at (http://\\S+/)");
    /** Each page, and what shows that it finished loading. */
    private static final Map<String, String> PAGES = new java.util.LinkedHashMap<>();

    static
    {
        PAGES.put("overview", "#nodes table");
        PAGES.put("jobs", "#jobs table, #jobs .notice, #jobs .error");
        PAGES.put("actors", "#actors table, #actors .notice, #actors .error");
        PAGES.put("tasks", "#tasks table, #tasks .notice, #tasks .error");
        PAGES.put("objects", "#objects table, #objects .notice, #objects .error");
        PAGES.put("logs", "#logs pre, #logs .notice, #logs .error");
        PAGES.put("metrics", "#cpu canvas");
        PAGES.put("timeline", "#timeline.muted, #timeline .notice, #timeline .error");
    }

    private ClusterFixture cluster;
    private WebDriver browser;

    @AfterEach
    void tearDown() throws Exception
    {
        if (browser != null)
        {
            browser.quit();
        }
        if (cluster != null)
        {
            cluster.close();
        }
    }

    @Test
    void shouldShowEveryNodeAndAChartWithDataPoints() throws Exception
    {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: run bin/install-test-deps (Debian's chromium)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), CHROMEDRIVER + " is missing: run bin/install-test-deps (Debian's chromium-driver)");
        cluster = new ClusterFixture("dashboard");
        cluster.dashboard = true;
        cluster.startHead(0, "--dashboard-port", "0");
        cluster.startWorker("w1");
        cluster.startWorker("w2");
        final String url = dashboardUrl();
        final List<String> nodeIds = waitForNodes(url, 3);

        browser = chromium();
        browser.get(url);
        final WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class);  // the table and chart are redrawn every second
        wait.until(b -> nodeIds.stream().allMatch(text("nodes-table")::contains));
        final String shown = text("nodes-table");
        for (String id : nodeIds)
        {
            assertTrue(shown.contains(id), "node " + id + " is not on the overview:\n" + shown);
        }
        assertTrue(shown.contains("(head)"), shown);
        wait.until(b -> dataPoints() >= 3);
        assertTrue(dataPoints() >= 3);
        assertEquals(3L, ((JavascriptExecutor) browser).executeScript(
            "return document.querySelectorAll('#chart .u-legend .u-series').length - 1"), "one chart line per node");

        screenshots(url, wait);
        browser.get(url + "logs.html");
        wait.until(b -> !b.findElements(By.cssSelector("#logs .notice")).isEmpty());
        assertTrue(browser.findElement(By.cssSelector("#logs .notice")).getText().contains("Not available yet"));
    }

    /** The text of the element with {@code id} now (read in one script: the page redraws it every second). */
    private String text(String id)
    {
        final Object t = ((JavascriptExecutor) browser).executeScript(
            "const e = document.getElementById(arguments[0]); return e ? e.innerText : ''", id);
        return String.valueOf(t);
    }

    private int dataPoints()
    {
        return Integer.parseInt(String.valueOf(((JavascriptExecutor) browser).executeScript(
            "return document.getElementById('chart').dataset.points || '0'")));
    }

    private void screenshots(String url, WebDriverWait wait) throws Exception
    {
        // the README's screenshots are refreshed on request only (-Dtessera.screenshots=docs), so a test run
        // leaves the working tree as it found it
        final Path dir = Files.createDirectories("docs".equals(System.getProperty("tessera.screenshots"))
            ? repositoryRoot().resolve("docs").resolve("dashboard")
            : repositoryRoot().resolve("native-tests").resolve("target").resolve("dashboard"));
        for (Map.Entry<String, String> page : PAGES.entrySet())
        {
            browser.get(url + (page.getKey().equals("overview") ? "" : page.getKey() + ".html"));
            wait.until(b -> !b.findElements(By.cssSelector(page.getValue())).isEmpty());
            final File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), dir.resolve(page.getKey() + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path repositoryRoot()
    {
        final Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("native-tests")) ? here : here.getParent();
    }

    private WebDriver chromium()
    {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000");
        final ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The URL the head printed, once it did. */
    private String dashboardUrl() throws Exception
    {
        final Path log = cluster.logs.resolve("head.log");
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final Matcher m = DASHBOARD_LINE.matcher(Files.readString(log));
            if (m.find())
            {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the head did not print its dashboard's address; log: " + log);
    }

    /** The ids of the alive nodes, once the head's view has {@code n}. */
    private static List<String> waitForNodes(String url, int n) throws Exception
    {
        final ObjectMapper json = new ObjectMapper();
        try (HttpClient client = HttpClient.newHttpClient())
        {
            final long deadline = System.nanoTime() + 60_000_000_000L;
            JsonNode nodes = null;
            while (System.nanoTime() < deadline)
            {
                final HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "api/nodes")).build(),
                    HttpResponse.BodyHandlers.ofString());
                nodes = json.readTree(r.body());
                final List<String> ids = new ArrayList<>();
                nodes.forEach(node ->
                {
                    if (node.get("alive").asBoolean())
                    {
                        ids.add(node.get("id").asText());
                    }
                });
                if (r.statusCode() == 200 && ids.size() == n)
                {
                    return ids;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the head did not see " + n + " nodes: " + nodes);
        }
    }
}
