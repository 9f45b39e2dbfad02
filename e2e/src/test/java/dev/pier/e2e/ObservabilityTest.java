package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.testkit.Command;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.Requirements;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Seeing the platform (issue #20), on the suite's shared cluster ({@link SharedCluster}) with one Node.js app pushed to it: every
 * service's {@code /metrics} parses with Prometheus' own {@code promtool}; the router's per-app request counter
 * equals the requests sent; a real Prometheus (Debian's) configured with the documented scrape config
 * ({@code docs/prometheus/pier.yml}) finds every service through discoverd and sees the router's figure; the
 * dashboard, driven in headless Chromium (Debian's, through its chromedriver) as a person would use it, signs in,
 * plots the app's traffic as it comes, scales, edits a config var, rolls back, follows the log, shows the cluster,
 * refuses requests without a session or with a wrong CSRF token, and signs out. Screenshots of its main pages go
 * to {@code docs/dashboard/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedCluster.class)
class ObservabilityTest {
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String APP = "obs-" + SUFFIX;
    private static final Set<String> SERVICES = Set.of("pier-controller", "pier-discoverd", "pier-blobstore",
            "pier-host-agent", "pier-scheduler", "pier-router", "pier-git-receiver");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration UI = Duration.ofSeconds(90);

    private static PierCluster cluster;
    private static Router router;
    private static Developer developer;
    private static Path repo;
    private static String key;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void bootClusterAndPushAnApp() throws Exception {
        for (String tool : List.of("git", "ssh", "ssh-keygen", "curl", "java", "mvn", "promtool", "prometheus",
                "chromium", "chromedriver")) {
            Requirements.require(Command.which(tool) != null, tool);
        }
        cluster = SharedCluster.cluster();
        key = Files.readString(Path.of(cluster.env().get("PIER_STATE"), "cluster-key")).strip();
        router = new Router(cluster.routerPort());
        developer = Developer.withNewKey(cluster, "observer");
        developer.pierOk(null, "key", "add", developer.publicKey().toString());
        repo = developer.checkout("nodejs", APP);
        Path server = repo.resolve("server.js");
        Files.writeString(server, Files.readString(server).replace("VERSION", "v1"));
        developer.commit(repo, "v1");
        developer.pierOk(repo, "create", APP);
        Command.Result push = developer.push(repo, "pier", "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        router.awaitServing(Router.domainOf(APP), "hello from node v1 no-greeting");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            Command.run(Duration.ofSeconds(30), List.of("rm", "-rf", profile.toString()));
        }
    }

    private static int port(String variable) {
        return Integer.parseInt(cluster.env().get(variable));
    }

    private static String controller() {
        return "http://127.0.0.1:" + port("PIER_CONTROLLER_PORT");
    }

    private static HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The metrics endpoints discoverd lists for Prometheus: pier_service → the URLs of its instances. */
    private static Map<String, List<String>> targets() throws Exception {
        HttpResponse<String> answer = get("http://127.0.0.1:" + port("PIER_DISCOVERD_PORT") + "/prometheus/targets", key);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Map<String, List<String>> targets = new java.util.TreeMap<>();
        for (JsonNode group : JSON.readTree(answer.body())) {
            for (JsonNode target : group.path("targets")) {
                targets.computeIfAbsent(group.path("labels").path("pier_service").asText(), s -> new ArrayList<>())
                        .add("http://" + target.asText() + group.path("labels").path("__metrics_path__").asText());
            }
        }
        return targets;
    }

    /** The metrics of every instance of {@code service}, one after the other. */
    private static String metricsOf(Map<String, List<String>> targets, String service) throws Exception {
        StringBuilder all = new StringBuilder();
        for (String url : targets.get(service)) {
            all.append(get(url, key).body());
        }
        return all.toString();
    }

    /** The router's count of answers to {@code app}'s web process, all status classes. */
    private static double routerRequests(String app) throws Exception {
        String text = metricsOf(targets(), "pier-router");
        Matcher m = Pattern.compile("(?m)^pier_router_requests_total\\{app=\"" + app
                + "\",process_type=\"web\",status_class=\"\\dxx\"} (\\S+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /** Every Pier service announces a {@code /metrics} that Prometheus' own parser accepts, behind the cluster key. */
    @Test
    @Order(1)
    void everyServicesMetricsParseWithPromtool() throws Exception {
        Map<String, List<String>> targets = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
                .until(ObservabilityTest::targets, t -> t.keySet().containsAll(SERVICES));
        for (Map.Entry<String, List<String>> service : targets.entrySet()) {
            for (int i = 0; i < service.getValue().size(); i++) {
                String name = service.getKey() + "-" + (i + 1);
                String url = service.getValue().get(i);
                assertThat(get(url, null).statusCode()).as(name + " without the key").isEqualTo(401);
                HttpResponse<String> metrics = get(url, key);
                assertThat(metrics.statusCode()).as(name).isEqualTo(200);
                assertThat(metrics.body()).as(name).contains("jvm_memory_used_bytes", "process_cpu_usage");
                Path file = cluster.work().resolve(name + ".metrics");
                Files.writeString(file, metrics.body());
                Command.Result check = Command.run(Duration.ofSeconds(60), List.of("sh", "-c",
                        "promtool check metrics < " + file));
                System.out.printf("promtool check metrics (%s, %d bytes): exit %d%n%s%n", name,
                        metrics.body().length(), check.exitCode(), check.output());
                assertThat(check.exitCode()).as(name + ": " + check.output()).isZero();
            }
        }
        // Each service's own figures for the app. A host agent reads its jobs' stats from the engine every
        // interval (pier.host-agent.stats.interval), so the app's job, up a moment ago, is there by the next reading
        // at the latest: waited for, not expected at once (CI once scraped the agent before its first reading).
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(metricsOf(targets, "pier-router")).contains("pier_router_request_duration_seconds_bucket{app=\""
                    + APP + "\",process_type=\"web\",le=\"");
            assertThat(metricsOf(targets, "pier-host-agent")).contains("pier_job_memory_bytes{app=\"" + APP + "\"");
            assertThat(metricsOf(targets, "pier-scheduler")).contains("pier_scheduler_pass_duration_seconds_count");
            assertThat(metricsOf(targets, "pier-discoverd")).contains("pier_discoverd_instances{service=\""
                    + APP + "-web\"} 1.0");
            assertThat(metricsOf(targets, "pier-controller")).contains("pier_controller_deployments_total");
        });
    }

    /** The router counts every request it answers for the app: the counter moves by exactly what was sent. */
    @Test
    @Order(2)
    void theRoutersRequestCounterEqualsTheRequestsSent() throws Exception {
        double before = routerRequests(APP);
        int sent = 37;
        for (int i = 0; i < sent; i++) {
            assertThat(router.get(Router.domainOf(APP), "/count-" + i).status()).isEqualTo(200);
        }
        assertThat(routerRequests(APP) - before).isEqualTo(sent);
    }

    /**
     * Debian's Prometheus, with the scrape config of docs/prometheus/pier.yml (only the addresses and intervals
     * changed), finds every service through discoverd, scrapes them all, and has the router's count.
     */
    @Test
    @Order(3)
    void prometheusFindsEveryServiceThroughDiscoverdAndSeesTheSameFigures() throws Exception {
        Path dir = cluster.work().resolve("prometheus");
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("cluster-key");
        Files.writeString(keyFile, key);
        String config = Files.readString(cluster.root().resolve("docs/prometheus/pier.yml"))
                .replace("http://127.0.0.1:8310", "http://127.0.0.1:" + port("PIER_DISCOVERD_PORT"))
                .replace("/etc/prometheus/pier-cluster-key", keyFile.toString())
                .replace("scrape_interval: 15s", "scrape_interval: 3s")
                .replace("scrape_timeout: 10s", "scrape_timeout: 3s")
                .replace("refresh_interval: 30s", "refresh_interval: 2s");
        Files.writeString(dir.resolve("prometheus.yml"), config);
        int web = FreePorts.next();
        Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + web)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            String api = "http://127.0.0.1:" + web + "/api/v1/";
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                    .untilAsserted(() -> {
                        JsonNode active = JSON.readTree(get(api + "targets", null).body()).path("data")
                                .path("activeTargets");
                        Set<String> up = new TreeSet<>();
                        for (JsonNode target : active) {
                            if (target.path("health").asText().equals("up")) {
                                up.add(target.path("labels").path("pier_service").asText());
                            }
                        }
                        assertThat(up).containsAll(SERVICES);
                    });
            String query = URLEncoder.encode("sum(pier_router_requests_total{app=\"" + APP + "\"})",
                    StandardCharsets.UTF_8);
            double expected = routerRequests(APP); // no request reaches the app meanwhile
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .untilAsserted(() -> {
                        JsonNode result = JSON.readTree(get(api + "query?query=" + query, null).body())
                                .path("data").path("result");
                        assertThat(result.get(0).path("value").get(1).asDouble()).isEqualTo(expected);
                    });
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }

    // ---- the dashboard ----

    private static WebDriver browser() throws IOException {
        System.setProperty("webdriver.chrome.driver", Command.which("chromedriver").toString());
        profile = Files.createTempDirectory("pier-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(Command.which("chromium").toString())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Command.which("chromedriver").toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    private static WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, UI, Duration.ofMillis(300));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private static WebElement visible(By by) {
        return waiting().until(d -> {
            WebElement e = d.findElement(by);
            return e.isDisplayed() ? e : null;
        });
    }

    private static void screenshot(String name) throws IOException {
        Path dir = cluster.root().resolve("docs/dashboard");
        Files.createDirectories(dir);
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A request made from the page's own script: {status, body}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetch(String script) {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "(" + script + ").then(r => r.text().then(t => done({status: r.status, body: t})))"
                        + ".catch(e => done({status: -1, body: String(e)}));");
    }

    @Test
    @Order(4)
    void theDashboardShowsAndChangesTheAppAsItRuns() throws Exception {
        browser = browser();
        browser.get(controller() + "/");
        assertThat(browser.getCurrentUrl()).endsWith("/dashboard/");
        visible(By.id("cluster-key")).sendKeys("not-the-key");
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        waiting().until(d -> d.findElement(By.id("sign-in-error")).getText().contains("wrong"));
        browser.findElement(By.id("cluster-key")).clear();
        browser.findElement(By.id("cluster-key")).sendKeys("    ");
        screenshot("sign-in");
        browser.findElement(By.id("cluster-key")).clear();
        browser.findElement(By.id("cluster-key")).sendKeys(key);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();

        // the apps list, then the app
        visible(By.linkText(APP));
        screenshot("apps");
        browser.findElement(By.linkText(APP)).click();
        visible(By.id("plot-requests"));
        visible(By.id("scale-web"));

        // traffic moves the request plot (the controller samples every 10 s and needs two samples)
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        Thread load = new Thread(() -> {
            long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (loading.get() && System.nanoTime() < until && sent.get() < 20_000) {
                router.get(Router.domainOf(APP), "/load");
                sent.incrementAndGet();
            }
        }, "load");
        load.setDaemon(true);
        load.start();
        try {
            String before = browser.findElement(By.id("plot-requests")).getAttribute("aria-label");
            waiting().withTimeout(Duration.ofMinutes(2)).until(d -> {
                String now = d.findElement(By.id("plot-requests-now")).getText();
                return now.endsWith("/s") && Double.parseDouble(now.replace("/s", "")) > 0;
            });
            String points = browser.findElement(By.cssSelector("#plot-requests polyline")).getAttribute("points");
            waiting().withTimeout(Duration.ofMinutes(1)).until(d -> !d.findElement(
                    By.cssSelector("#plot-requests polyline")).getAttribute("points").equals(points));
            assertThat(browser.findElement(By.id("plot-requests")).getAttribute("aria-label")).isNotEqualTo(before);
            waiting().until(d -> !d.findElement(By.id("plot-latency-now")).getText().equals("–")
                    && !d.findElement(By.id("plot-memory-now")).getText().equals("–"));
            screenshot("app");
            String table = developer.pierOk(repo, "metrics");
            assertThat(table).contains("TYPE", "REQ/S", "web");
        } finally {
            loading.set(false);
            load.join(30_000);
        }
        assertThat(sent.get()).isPositive();

        // scale web from 1 to 2: the second job appears, up
        assertThat(browser.findElements(By.cssSelector("#jobs-body tr[data-job]"))).hasSize(1);
        WebElement count = browser.findElement(By.id("scale-web"));
        count.clear();
        count.sendKeys("2");
        browser.findElement(By.id("scale-web-save")).click();
        waiting().withTimeout(Duration.ofMinutes(3)).until(d -> d.findElements(
                By.cssSelector("#jobs-body tr[data-job] td.state-up")).size() == 2);

        // a config var, set from the page: values are hidden until asked for
        visible(By.id("config-show"));
        browser.findElement(By.id("config-new-name")).sendKeys("GREETING");
        browser.findElement(By.id("config-new-value")).sendKeys("from-the-dashboard");
        browser.findElement(By.id("config-add")).click();
        router.awaitServing(Router.domainOf(APP), "hello from node v1 from-the-dashboard");
        WebElement value = waiting().until(d -> d.findElement(By.cssSelector("#config-table tr[data-name=GREETING] "
                + "td.config-value")));
        assertThat(value.getText()).doesNotContain("from-the-dashboard");
        browser.findElement(By.id("config-show")).click();
        waiting().until(d -> d.findElement(By.cssSelector("#config-table tr[data-name=GREETING] td.config-value"))
                .getText().equals("from-the-dashboard"));

        // roll back to v1 (two clicks: the first asks for confirmation)
        WebElement rollback = visible(By.id("rollback-v1"));
        rollback.click();
        waiting().until(d -> d.findElement(By.id("rollback-v1")).getText().startsWith("Confirm"));
        browser.findElement(By.id("rollback-v1")).click();
        router.awaitServing(Router.domainOf(APP), "hello from node v1 no-greeting");
        waiting().until(d -> d.findElement(By.id("app-release")).getText().matches("release v[3-9]"));

        // follow the web log while a request is made
        new Select(browser.findElement(By.id("log-process"))).selectByValue("web");
        browser.findElement(By.id("log-follow")).click();
        String probe = "/probe-" + UUID.randomUUID();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            router.get(Router.domainOf(APP), probe);
            assertThat(browser.findElement(By.id("log-lines")).getText()).contains("request GET " + probe);
        });
        screenshot("app-changed");

        // the page at a phone's width
        browser.manage().window().setSize(new Dimension(390, 844));
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        screenshot("app-phone");
        browser.manage().window().setSize(new Dimension(1280, 800));

        // the cluster: the host with its jobs
        browser.findElement(By.id("nav-cluster")).click();
        waiting().until(d -> d.findElements(By.cssSelector("#cluster-body section.panel tbody tr")).size() >= 2);
        assertThat(browser.findElement(By.id("cluster-body")).getText()).contains(cluster.hostId(1), APP, "MB");
        screenshot("cluster");

        // refused: a change with a wrong CSRF token, a request without the session
        Map<String, Object> wrongToken = fetch("fetch('/apps', {method: 'POST', headers: {'Content-Type': "
                + "'application/json', 'X-Pier-CSRF': 'wrong'}, body: JSON.stringify({name: 'csrf-" + SUFFIX + "'})})");
        assertThat(wrongToken.get("status")).isEqualTo(403L);
        assertThat((String) wrongToken.get("body")).contains("CSRF");
        Map<String, Object> noSession = fetch("fetch('/apps', {credentials: 'omit'})");
        assertThat(noSession.get("status")).isEqualTo(401L);
        assertThat(developer.pierOk(null, "apps")).doesNotContain("csrf-" + SUFFIX);

        // sign out: the session is gone
        browser.findElement(By.id("sign-out")).click();
        visible(By.id("cluster-key"));
        assertThat(fetch("fetch('/apps')").get("status")).isEqualTo(401L);
    }
}
