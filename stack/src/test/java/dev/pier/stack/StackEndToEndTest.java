package dev.pier.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.Requirements;
import dev.pier.testkit.StackImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the stack images with docker/build-stacks, then builds each sample app with pier/stack-build
 * (the slugbuilder and its buildpacks) and runs the slug with pier/stack-run (the slugrunner).
 */
class StackEndToEndTest {
    private static final Duration BUILD = Duration.ofMinutes(10);
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Every container of this run carries it: cleanup is by label. */
    private static final String LABEL = "dev.pier.test.stack=" + RUN_ID;

    private static BlobServer blobs;
    private static String hostBase;
    private static String buildImage;
    private static String runImage;

    @TempDir
    Path temp;

    record Build(int exitCode, String output, JsonNode result, String slugPath) {
    }

    @BeforeAll
    static void images() throws IOException {
        Requirements.require(Command.which("docker") != null
                && Command.run(Duration.ofSeconds(30), List.of("docker", "info")).exitCode() == 0,
                "a running Docker engine");
        StackImages images = StackImages.build(repositoryRoot());
        System.out.println(images.output());
        buildImage = images.buildImage();
        runImage = images.runImage();
        blobs = new BlobServer(DockerEngine.bridgeGateway());
        hostBase = "http://host.docker.internal:" + blobs.port();
    }

    @AfterAll
    static void stopServer() {
        if (blobs != null) {
            blobs.close();
        }
        removeLabelled();
    }

    @AfterEach
    void removeContainers() {
        removeLabelled();
    }

    private static void removeLabelled() {
        String ids = Command.run(Duration.ofSeconds(30), List.of("docker", "ps", "-aq", "--filter", "label=" + LABEL))
                .output().trim();
        if (!ids.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("docker", "rm", "-f", "-v"));
            rm.addAll(List.of(ids.split("\\s+")));
            Command.run(Duration.ofSeconds(60), rm);
        }
    }

    @Test
    void runnerRefusesASlugWhoseSha256DoesNotMatch() throws Exception {
        Build build = build("procfile", "procfile-sha");
        assertThat(build.exitCode()).as(build.output()).isZero();
        String name = "pier-stack-test-run-" + RUN_ID + "-badsha";
        Command.Result run = Command.run(Duration.ofSeconds(60), List.of("docker", "run", "--rm", "--name", name,
                "--label", LABEL, "--add-host", "host.docker.internal:host-gateway",
                "-e", "SLUG_URL=" + hostBase + build.slugPath(), "-e", "SLUG_SHA256=" + "0".repeat(64),
                runImage, "start", "web"));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("pier-runner: error: slug sha256 mismatch");
    }

    @Test
    void nodeAppBuildsRunsAndReusesTheCacheOnTheSecondBuild() throws Exception {
        Build first = build("nodejs", "nodejs");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("-----> Node.js app detected", "Resolved >=20 <23 to 22.",
                "npm ci", "Running build", "first build");
        assertThat(first.result().path("buildpack").asText()).isEqualTo("nodejs");
        assertThat(first.result().path("process_types").path("web").asText()).isEqualTo("npm start");
        assertThat(serve(first, "/")).startsWith("hello from node v22.").contains("built by npm run build");

        Build second = build("nodejs", "nodejs");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("-----> Restoring cache",
                "Reusing from the previous build: the resolution of >=20 <23 to 22.", ", the Node.js 22.",
                "from the build cache",
                "min ago: not asking the registry again")
                .doesNotContain("Downloading Node.js");
        // the runtime is in the slug, its C headers (only for compiling native modules) are not
        assertThat(slugListing(second)).contains("./.heroku/node/bin/node", "./.heroku/node/bin/npm")
                .doesNotContain("./.heroku/node/include/");
        assertThat(serve(second, "/")).startsWith("hello from node v22.");

        Build third = build("nodejs", "nodejs", "PIER_ENV_NODE_VERSION_TTL=0");
        assertThat(third.exitCode()).as(third.output()).isZero();
        // the new resolution's time is kept: the cache is saved
        assertThat(third.output()).contains("Resolved >=20 <23 to 22.", "from the build cache",
                        "-----> Saving build cache")
                .doesNotContain("not asking the registry again", "Downloading Node.js");
    }

    @Test
    void nodeAppOnARuntimeTheStacksCarryLinksToItInsteadOfCarryingIt() throws Exception {
        Build build = build("nodejs-lts", "nodejs-lts");
        assertThat(build.exitCode()).as(build.output()).isZero();
        assertThat(build.output()).contains("Using the default: the current LTS (24.x)", "Using Node.js 24.",
                "from the stack (linked, not in the slug)").doesNotContain("Downloading Node.js");
        // the slug holds the link, not the 130 MB runtime behind it
        assertThat(slugListing(build)).contains("./.heroku/node", "./server.js")
                .doesNotContain("./.heroku/node/bin/node");
        assertThat(build.result().path("slug_size").asLong()).isLessThan(100_000);
        assertThat(serve(build, "/")).startsWith("hello from node v24.").contains("on the stack's runtime");

        // the cache keeps the resolution, not a runtime
        Build second = build("nodejs-lts", "nodejs-lts");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("Reusing from the previous build: the resolution of 24.x to 24.",
                "from the stack (linked, not in the slug)", "Build cache unchanged: not saved again")
                .doesNotContain("this is the first build", "from the build cache");

        // an npm of the app's choosing cannot come from the stack: the runtime is assembled and carried again
        Build ownNpm = build("nodejs-lts", "nodejs-lts", "PIER_ENV_NPM_VERSION=10.9");
        assertThat(ownNpm.exitCode()).as(ownNpm.output()).isZero();
        assertThat(ownNpm.output()).contains("NPM_VERSION is set: Node.js 24.", "Downloading Node.js 24.",
                "Downloading npm 10.9").doesNotContain("from the stack (linked");
        assertThat(slugListing(ownNpm)).contains("./.heroku/node/bin/node", "./.heroku/node/bin/npm");
        assertThat(serve(ownNpm, "/")).startsWith("hello from node v24.");
    }

    @Test
    void runnerNamesAStackRuntimeThatItsImageDoesNotCarry() throws Exception {
        Path app = Files.createDirectories(temp.resolve("missing-runtime/.heroku"));
        Files.createSymbolicLink(app.resolve("node"), Path.of("/runtimes/node/0.0.1"));
        Files.writeString(app.resolveSibling("Procfile"), "web: node server.js\n");
        Path slug = temp.resolve("missing-runtime.tar.zst");
        Command.check(Duration.ofSeconds(30), List.of("bash", "-c", "tar -cf - -C \"$1\" . | zstd -q > \"$2\"", "pack",
                app.getParent().toString(), slug.toString()));
        String path = "/slugs/" + RUN_ID + "-missing-runtime.tar.zst";
        blobs.put(path, Files.readAllBytes(slug));
        Command.Result run = Command.run(Duration.ofSeconds(60), List.of("docker", "run", "--rm", "--label", LABEL,
                "--add-host", "host.docker.internal:host-gateway", "-e", "SLUG_URL=" + hostBase + path,
                "-e", "SLUG_SHA256=" + sha256(Files.readAllBytes(slug)), runImage, "start", "web"));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("pier-runner: error: the slug runs on /runtimes/node/0.0.1, which this "
                + "stack image does not carry: push the app again to rebuild it");
    }

    @Test
    void runnerSaysWhenTheSlugCannotBeFetchedOrUnpacked() throws Exception {
        Command.Result missing = runSlug("/slugs/" + RUN_ID + "-missing.tar.zst", "0".repeat(64));
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.output()).contains("pier-runner: error: could not download the slug from "
                + hostBase + "/slugs/" + RUN_ID + "-missing.tar.zst (curl exit 22)");

        byte[] garbage = "this is not an archive\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        blobs.put("/slugs/" + RUN_ID + "-garbage.tar.zst", garbage);
        Command.Result unreadable = runSlug("/slugs/" + RUN_ID + "-garbage.tar.zst", sha256(garbage));
        assertThat(unreadable.exitCode()).isNotZero();
        assertThat(unreadable.output()).contains("pier-runner: error: could not unpack the slug")
                .doesNotContain("sha256 mismatch");
    }

    private Command.Result runSlug(String path, String sha256) {
        return Command.run(Duration.ofSeconds(60), List.of("docker", "run", "--rm", "--label", LABEL,
                "--add-host", "host.docker.internal:host-gateway", "-e", "SLUG_URL=" + hostBase + path,
                "-e", "SLUG_SHA256=" + sha256, runImage, "start", "web"));
    }

    @Test
    void runnerStillRunsATarGzSlugAsEarlierReleasesBuiltThem() throws Exception {
        Path app = Files.createDirectories(temp.resolve("gzip-slug/www"));
        Files.writeString(app.resolve("index.html"), "hello from a tar.gz slug\n");
        Files.writeString(app.resolveSibling("Procfile"), "web: busybox httpd -f -p $PORT -h /app/www\n");
        Path slug = temp.resolve("gzip-slug.tgz");
        Command.check(Duration.ofSeconds(30), List.of("tar", "-czf", slug.toString(), "-C", app.getParent().toString(),
                "."));
        byte[] body = Files.readAllBytes(slug);
        String path = "/slugs/" + RUN_ID + "-gzip.tgz";
        blobs.put(path, body);
        JsonNode result = new ObjectMapper().createObjectNode().put("slug_sha256", sha256(body));
        assertThat(serve(new Build(0, "", result, path), "/index.html")).isEqualTo("hello from a tar.gz slug\n");
    }

    @Test
    void javaAppBuildsWithMavenAndRuns() throws Exception {
        Build build = build("java", "java");
        assertThat(build.exitCode()).as(build.output()).isZero();
        assertThat(build.output()).contains("-----> Java (Maven) app detected", "java.runtime.version=17",
                "BUILD SUCCESS");
        assertThat(build.result().path("process_types").path("web").asText()).startsWith("java ");
        assertThat(serve(build, "/")).startsWith("hello from java 17");
    }

    @Test
    void staticSiteIsServedAndSlugignoreHonoured() throws Exception {
        Build build = build("static", "static");
        assertThat(build.exitCode()).as(build.output()).isZero();
        assertThat(build.output()).contains("-----> Static site app detected", "Removing files listed in .slugignore");
        assertThat(serve(build, "/index.html")).contains("hello from a static site");
        assertThat(slugListing(build)).contains("./index.html").doesNotContain("draft.txt");
    }

    @Test
    void procfileOnlyAppRunsItsWebProcess() throws Exception {
        Build build = build("procfile", "procfile");
        assertThat(build.exitCode()).as(build.output()).isZero();
        assertThat(build.output()).contains("-----> Procfile app detected");
        assertThat(build.result().path("process_types").path("web").asText()).startsWith("echo ");
        assertThat(serve(build, "/")).isEqualTo("hello from a Procfile app\n");
        // A compound Procfile command runs whole: its first half wrote this file before the server started.
        assertThat(serve(build, "/started.txt")).isEqualTo("written by the first half of the command\n");
    }

    @Test
    void customBuildpackFromATarballUrlIsUsed() throws Exception {
        Path tarball = temp.resolve("greeting-buildpack.tgz");
        Command.check(Duration.ofSeconds(30), List.of("tar", "-czf", tarball.toString(), "-C",
                appsDir().resolveSibling("buildpacks").resolve("greeting").toString(), "."));
        String url = hostBase + "/buildpacks/" + RUN_ID + "/greeting.tgz";
        blobs.put("/buildpacks/" + RUN_ID + "/greeting.tgz", Files.readAllBytes(tarball));
        Build build = build("procfile", "custom", "BUILDPACK_URL=" + url);
        assertThat(build.exitCode()).as(build.output()).isZero();
        assertThat(build.output()).contains("-----> Fetching custom buildpack", "-----> Greeting app detected",
                "-----> Writing a greeting with the custom buildpack");
        assertThat(build.result().path("buildpack").asText()).isEqualTo(url);
        // the app's Procfile comes first, the custom buildpack's default type is added
        assertThat(build.result().path("process_types").path("web").asText()).startsWith("echo ");
        assertThat(build.result().path("process_types").path("greet").asText())
                .isEqualTo("busybox httpd -f -p $PORT -h /app/greeting");
        assertThat(serve(build, "/index.html", "greet")).isEqualTo("hello from a custom buildpack\n");
    }

    @Test
    void aNodeVersionTtlThatIsNotANumberFailsWithAClearMessage() throws Exception {
        Build build = build("nodejs", "bad-ttl", "PIER_ENV_NODE_VERSION_TTL=a day");
        assertThat(build.exitCode()).isNotZero();
        assertThat(build.output()).contains("NODE_VERSION_TTL must be a number of seconds, not \"a day\"",
                "build failed").doesNotContain("Downloading Node.js");
        assertThat(build.result().has("error")).isTrue();
        assertThat(blobs.get(build.slugPath())).isNull();
    }

    @Test
    void brokenPackageJsonFailsWithAClearMessage() throws Exception {
        Build build = build("broken-nodejs", "broken");
        assertThat(build.exitCode()).isNotZero();
        assertThat(build.output()).contains("-----> Node.js app detected",
                "package.json is not valid JSON: Unexpected end of JSON input", "build failed")
                .doesNotContain("at JSON.parse", "node:internal");
        assertThat(build.result().has("error")).isTrue();
        assertThat(blobs.get(build.slugPath())).isNull();
    }

    private Build build(String app, String cacheKey, String... env) throws Exception {
        Path tarball = temp.resolve(app + ".tgz");
        Command.check(Duration.ofSeconds(30), List.of("tar", "-czf", tarball.toString(), "-C",
                appsDir().resolve(app).toString(), "."));
        String id = UUID.randomUUID().toString().substring(0, 8);
        blobs.put("/source/" + id + ".tgz", Files.readAllBytes(tarball));
        String slugPath = "/slugs/" + id + ".tar.zst";
        String name = "pier-stack-test-build-" + RUN_ID + "-" + id;
        List<String> run = new ArrayList<>(List.of("docker", "run", "--name", name, "--label", LABEL,
                "--add-host", "host.docker.internal:host-gateway", "--memory", "1g",
                "-e", "SOURCE_URL=" + hostBase + "/source/" + id + ".tgz",
                "-e", "CACHE_URL=" + hostBase + "/cache/" + RUN_ID + "/" + cacheKey + ".tar.zst",
                "-e", "SLUG_PUT_URL=" + hostBase + slugPath,
                "-e", "BUILD_TIMEOUT=540"));
        for (String variable : env) {
            run.addAll(List.of("-e", variable));
        }
        run.add(buildImage);
        Command.Result result = Command.run(BUILD, run);
        System.out.println("=== build of " + app + " (exit " + result.exitCode() + ")\n" + result.output());
        String[] lines = result.output().strip().split("\n");
        String last = lines[lines.length - 1];
        assertThat(last).as("last line of the build").startsWith("PIER-RESULT {");
        JsonNode json = new ObjectMapper().readTree(last.substring("PIER-RESULT ".length()));
        if (result.exitCode() == 0) {
            byte[] slug = blobs.get(slugPath);
            assertThat(slug).as("uploaded slug").isNotNull();
            assertThat(json.path("slug_sha256").asText()).isEqualTo(sha256(slug));
            assertThat(json.path("slug_size").asLong()).isEqualTo(slug.length);
        }
        return new Build(result.exitCode(), result.output(), json, slugPath);
    }

    /** Runs the slug's web process in pier/stack-run and returns the body of the first 200 at {@code path}. */
    private String serve(Build build, String path) {
        return serve(build, path, "web");
    }

    private String serve(Build build, String path, String type) {
        String name = "pier-stack-test-run-" + RUN_ID + "-" + UUID.randomUUID().toString().substring(0, 8);
        Command.check(Duration.ofSeconds(60), List.of("docker", "run", "-d", "--name", name, "--label", LABEL,
                "--add-host", "host.docker.internal:host-gateway", "-p", "127.0.0.1::8080",
                "-e", "SLUG_URL=" + hostBase + build.slugPath(),
                "-e", "SLUG_SHA256=" + build.result().path("slug_sha256").asText(),
                runImage, "start", type));
        String mapped = Command.check(Duration.ofSeconds(20), List.of("docker", "port", name, "8080/tcp"))
                .strip().split("\n")[0].strip();
        String port = mapped.substring(mapped.lastIndexOf(':') + 1);
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        String[] body = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .alias("HTTP 200 from " + uri + " (logs: docker logs " + name + ")")
                .until(() -> {
                    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    body[0] = response.body();
                    return response.statusCode() == 200;
                });
        return body[0];
    }

    /** The slug's file names, one a line, as tar lists them (tar recognises the zstd compression itself). */
    private String slugListing(Build build) throws IOException {
        Path slug = Files.write(temp.resolve("slug-" + UUID.randomUUID()), blobs.get(build.slugPath()));
        return Command.check(Duration.ofSeconds(30), List.of("tar", "-tf", slug.toString()));
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    private static Path appsDir() {
        return Path.of("src/test/resources/apps").toAbsolutePath();
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker/build-stacks"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("docker/build-stacks not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
