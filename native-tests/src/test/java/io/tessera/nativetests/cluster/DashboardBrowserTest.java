package io.tessera.nativetests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.ActorHandle;
import io.tessera.ObjectRef;
import io.tessera.TaskContext;
import io.tessera.TaskException;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser: a head and two worker nodes (real JVMs, the dashboard on their
 * class path), headless Chromium driven through Debian's chromedriver, and this test's JVM as the driver of
 * a job with two named actors, a failing task, a printed line, a put and a large result. Asserts what a person sees on each
 * page — every node and a CPU chart with data points, the job, the actor names, the failed task with its
 * error, both objects, the printed line on the logs page — and saves a screenshot of each page under
 * native-tests/target/dashboard/ (docs/dashboard/ with -Dtessera.screenshots=docs). Skips, saying why,
 * without Chromium or its driver (bin/install-test-deps installs them).
 */
@Timeout(300)
class DashboardBrowserTest
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String PRINTED = "hello from the dashboard's browser test";

    private ClusterFixture cluster;
    private WebDriver browser;
    private Path shots;

    @AfterEach
    void tearDown() throws Exception
    {
        if (browser != null)
        {
            browser.quit();
        }
        Tessera.shutdown();
        if (cluster != null)
        {
            cluster.close();
        }
    }

    /** A named actor of the job. */
    public static final class Greeter
    {
        private int greeted;

        public Greeter()
        {
        }

        public int greet(String who)
        {
            System.out.println("greeting " + who);
            return ++greeted;
        }
    }

    static String hello()
    {
        System.out.println(PRINTED);
        return TaskContext.current().jobId();
    }

    static long[] squares(int n)
    {
        final long[] a = new long[n];
        java.util.Arrays.setAll(a, i -> (long) i * i);
        return a;
    }

    static int explode(int x)
    {
        throw new IllegalStateException("the browser test's failure " + x);
    }

    @Test
    void shouldShowNodesChartJobActorsFailedTaskObjectsAndLogs() throws Exception
    {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: run bin/install-test-deps (Debian's chromium)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), CHROMEDRIVER + " is missing: run bin/install-test-deps (Debian's chromium-driver)");
        cluster = ClusterFixture.headAndTwoWorkersWithDashboard("dashboard");
        final String url = cluster.dashboardUrl();
        final List<String> nodeIds = waitForNodes(url, 3);

        // the job: this JVM is its driver
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress()).token(ClusterFixture.TOKEN).objectStoreBytes(64L << 20)
            .build());
        final String job = Tessera.task(DashboardBrowserTest::hello).remote().get();
        final ActorHandle<Greeter> ada = Tessera.actor(Greeter::new).options(o -> o.name("greeter-ada")).remote();
        final ActorHandle<Greeter> bob = Tessera.actor(Greeter::new).options(o -> o.name("greeter-bob")).remote();
        assertEquals(List.of(1, 1), Tessera.get(List.of(ada.task(Greeter::greet, "Ada").remote(), bob.task(Greeter::greet, "Bob")
            .remote())));
        assertThrows(TaskException.class, () -> Tessera.task(DashboardBrowserTest::explode, 7).remote().get());
        final ObjectRef<long[]> put = Tessera.put(new long[50_000]);
        final ObjectRef<long[]> squares = Tessera.task(DashboardBrowserTest::squares, 40_000).remote();
        assertEquals(1, Tessera.wait(List.of(squares), 1, Duration.ofSeconds(60)).ready().size());

        browser = chromium();
        shots = Files.createDirectories("docs".equals(System.getProperty("tessera.screenshots"))
            ? repositoryRoot().resolve("docs").resolve("dashboard")
            : repositoryRoot().resolve("native-tests").resolve("target").resolve("dashboard"));
        final WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class);  // the table and chart are redrawn every second

        browser.get(url);
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
        screenshot("overview");

        page(wait, url + "jobs.html", "jobs", "jobs", List.of(job, "RUNNING"));
        page(wait, url + "actors.html", "actors", "actors", List.of("greeter-ada", "greeter-bob", Greeter.class.getName(), "ALIVE"));
        page(wait, url + "tasks.html?state=FAILED", "tasks", "tasks",
            List.of("DashboardBrowserTest.explode", "java.lang.IllegalStateException: the browser test's failure 7"));
        page(wait, url + "objects.html", "objects", "objects",
            List.of(put.id(), "390.6 KiB", squares.id(), "DashboardBrowserTest.squares"));
        page(wait, url + "logs.html?by=job&id=" + job, "log", "logs", List.of(PRINTED, "greeting Ada", "greeting Bob"));
        page(wait, url + "metrics.html", "cpu", "metrics", List.of("CPU"));
        wait.until(b -> !b.findElements(By.cssSelector("#cpu canvas")).isEmpty());
        screenshot("metrics");
        page(wait, url + "timeline.html", "timeline", "timeline", List.of("task slice(s) recorded"));
    }

    /**
     * Opens {@code pageUrl}, waits until the element {@code id} shows every text of {@code expected}, asserts it, and
     * saves the page as {@code name}.png.
     */
    private void page(WebDriverWait wait, String pageUrl, String id, String name, List<String> expected) throws Exception
    {
        browser.get(pageUrl);
        wait.until(b -> !b.findElements(By.id(id)).isEmpty() && expected.stream().allMatch(text(id)::contains));
        final String seen = text(id);
        for (String e : expected)
        {
            assertTrue(seen.contains(e), pageUrl + " does not show '" + e + "':\n" + seen);
        }
        screenshot(name);
    }

    private void screenshot(String name) throws Exception
    {
        final File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), shots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
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
