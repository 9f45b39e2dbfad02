package dev.pier.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pier.api.Artifact;
import dev.pier.api.JobReport;
import dev.pier.api.JobState;
import dev.pier.api.NewApp;
import dev.pier.api.NewArtifact;
import dev.pier.api.NewDeployment;
import dev.pier.api.NewProvider;
import dev.pier.api.NewRelease;
import dev.pier.api.NewResource;
import dev.pier.api.NewRoute;
import dev.pier.api.ProcessType;
import dev.pier.api.Release;
import dev.pier.api.SshKey;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.http.Json;
import dev.pier.api.provider.TestProvider;
import dev.pier.testkit.Command;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schemathesis-style fuzz of the controller's own OpenAPI document (issue #17): every operation of the document, a
 * bounded number of examples each ({@code pier.fuzz.examples}, 25 by default; {@code bench/contract} runs the long
 * form), generated from its schemas: valid ones (right types, required fields, known ids and names so that many get
 * past the server's checks) and invalid ones (one thing wrong that the document rules out: a wrong type, a missing
 * required field, an unknown field, a malformed or non-JSON body, a hostile path segment).
 *
 * <p>Every answer must: not be a 500 (a bug), have a status the operation documents (a 503 only where documented:
 * this controller runs without discoverd), match the document (content type and body schema, checked by Atlassian's
 * OpenAPI validator), and, for an invalid example, be a 4xx. The seed ({@code pier.fuzz.seed}) replays a run.
 */
class OpenApiFuzzTest extends ControllerUnderTest {
    private static final List<String> ORDER = List.of("get", "put", "post", "patch", "delete");
    private static final String EVENT_STREAM = "text/event-stream";
    private TestProvider provider;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private record Example(String method, String template, String path, String contentType, String body,
                           boolean invalid, String why) {
        @Override
        public String toString() {
            String shown = body == null ? "" : " " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
            return method + " " + path + shown + (invalid ? " [invalid: " + why + "]" : "");
        }
    }

    @Test
    void everyOperationAnswersEveryExampleAsItsDocumentSays(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("pier.fuzz.seed", new Random().nextLong());
        int examples = Integer.getInteger("pier.fuzz.examples", 25);
        Random random = new Random(seed);

        // the first request of the document builds it (springdoc reads every handler and record): seconds on an idle
        // machine, more on a loaded one
        String json = send("GET", "/openapi.json", null, null, "application/json", Duration.ofMinutes(3)).body();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        OpenAPI document = new OpenAPIV3Parser().readContents(json, null, options).getOpenAPI();
        assertThat(document).as("the controller's document parses").isNotNull();
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(json)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.response.status.unknown", ValidationReport.Level.ERROR)
                        .withLevel("validation.request", ValidationReport.Level.IGNORE)
                        .build())
                .build();

        Map<String, Supplier<List<String>>> known = fixture(dir);
        Examples values = new Examples(document, random, name -> {
            Supplier<List<String>> supplier = known.get(name);
            return supplier == null ? List.of() : supplier.get();
        });

        List<String> failures = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        int sent = 0;
        for (Map.Entry<String, Operation> entry : operations(document).entrySet()) {
            String method = entry.getKey().substring(0, entry.getKey().indexOf(' '));
            String template = entry.getKey().substring(method.length() + 1);
            Operation operation = entry.getValue();
            for (int i = 0; i < examples; i++) {
                Example example = example(values, random, method, template, operation, i % 3 == 2);
                HttpResponse<String> response;
                try {
                    response = send(example.method(), example.path(), example.contentType(), example.body(),
                            accept(operation), Duration.ofSeconds(60));
                } catch (TimeoutException e) {
                    failures.add(example + " -> no complete answer within 60 s");
                    continue;
                }
                sent++;
                statuses.merge(method.toUpperCase() + " " + template + " " + response.statusCode(), 1, Integer::sum);
                check(validator, operation, example, response, failures);
            }
        }
        System.out.println("fuzz: seed=" + seed + " examples-per-operation=" + examples + " requests=" + sent
                + " operations=" + operations(document).size());
        statuses.forEach((what, count) -> System.out.println("fuzz:   " + what + " x" + count));
        assertThat(failures).as("answers that break the document (seed " + seed + ", rerun with -Dpier.fuzz.seed="
                + seed + ")").isEmpty();
    }

    /**
     * Every operation, the ones that delete last (the deepest paths first: an app's route before the app), so that
     * what they delete served the others first.
     */
    private static Map<String, Operation> operations(OpenAPI document) {
        Map<String, Operation> operations = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>(document.getPaths().keySet());
        for (String method : ORDER) {
            if (method.equals("delete")) {
                paths.sort(java.util.Comparator.comparingInt((String path) -> path.split("/").length).reversed());
            }
            for (String path : paths) {
                Operation operation = document.getPaths().get(path).readOperationsMap()
                        .get(PathItem.HttpMethod.valueOf(method.toUpperCase()));
                if (operation != null) {
                    operations.put(method + " " + path, operation);
                }
            }
        }
        return operations;
    }

    private Example example(Examples values, Random random, String method, String template, Operation operation,
                            boolean invalid) {
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        Schema<?> bodySchema = operation.getRequestBody() == null ? null
                : operation.getRequestBody().getContent().get("application/json").getSchema();
        // what is wrong with an invalid example
        List<String> faults = new ArrayList<>();
        if (bodySchema != null) {
            faults.addAll(List.of("body-type", "body-field", "body-malformed", "body-shape", "content-type"));
            Schema<?> resolved = values.resolve(bodySchema);
            if (resolved.getRequired() != null && !resolved.getRequired().isEmpty()) {
                faults.add("body-missing");
            }
            if (Boolean.FALSE.equals(resolved.getAdditionalProperties())) {
                faults.add("body-unknown");
            }
        }
        if (parameters.stream().anyMatch(p -> "path".equals(p.getIn()))) {
            faults.add("path");
        }
        if (parameters.stream().anyMatch(p -> "query".equals(p.getIn()) && !"string".equals(Examples.type(
                values.resolve(p.getSchema()))))) {
            faults.add("query");
        }
        String fault = invalid && !faults.isEmpty() ? values.pick(faults) : null;

        String path = template;
        StringBuilder query = new StringBuilder();
        boolean wrongParameter = false;
        for (Parameter parameter : parameters) {
            boolean wrong = fault != null && fault.equals(parameter.getIn()) && !wrongParameter
                    && ("path".equals(parameter.getIn()) || !"string".equals(Examples.type(values.resolve(
                    parameter.getSchema()))));
            wrongParameter |= wrong;
            if ("path".equals(parameter.getIn())) {
                // a hostile segment is a string the schema allows, but one Pier refuses at the edge (CONVENTIONS.md)
                String value = values.parameter(parameter.getSchema(), parameter.getName(), !wrong);
                path = path.replace("{" + parameter.getName() + "}", wrong ? value : encode(value));
            } else if ("query".equals(parameter.getIn()) && (wrong || Boolean.TRUE.equals(parameter.getRequired())
                    || random.nextBoolean())) {
                query.append(query.length() == 0 ? "?" : "&").append(parameter.getName()).append('=')
                        .append(encode(values.parameter(parameter.getSchema(), parameter.getName(), !wrong)));
            }
        }
        boolean reallyInvalid = fault != null && (fault.equals("path") || fault.equals("query") ? wrongParameter : true);
        String body = null;
        String contentType = null;
        if (bodySchema != null && (Boolean.TRUE.equals(operation.getRequestBody().getRequired()) || random.nextInt(4) != 0
                || fault != null && fault.startsWith("body") || "content-type".equals(fault))) {
            contentType = "application/json";
            JsonNode value = values.valid(bodySchema, null, 0);
            if (fault != null) {
                switch (fault) {
                    case "body-type" -> value = values.wrongType(bodySchema);
                    case "body-field" -> value = wrongField(values, bodySchema, value);
                    case "body-missing" -> {
                        Schema<?> resolved = values.resolve(bodySchema);
                        ((ObjectNode) value).remove(values.pick(resolved.getRequired()));
                    }
                    case "body-unknown" -> ((ObjectNode) value).put("zz_not_a_field", 1);
                    case "content-type" -> contentType = "text/plain";
                    default -> { }
                }
            }
            body = value.toString();
            if ("body-malformed".equals(fault)) {
                body = values.pick(List.of("{", "{\"a\":", "[1,", "nul", "{\"x\":1}}", "\u0000"));
            } else if ("body-shape".equals(fault)) {
                body = values.pick(List.of("[]", "\"text\"", "42", "true"));
                if (!"object".equals(Examples.type(values.resolve(bodySchema)))) {
                    reallyInvalid = false;
                }
            }
            if ("body-field".equals(fault) && value == null) {
                reallyInvalid = false;
            }
        }
        if (fault != null && fault.startsWith("body") && body != null && body.equals("{}")
                && !"body-malformed".equals(fault)) {
            reallyInvalid = "body-missing".equals(fault);
        }
        return new Example(method.toUpperCase(), template, path + query, contentType, body, reallyInvalid, fault);
    }

    /** The body with one property set to a value of the wrong type (the body itself when it has none). */
    private static JsonNode wrongField(Examples values, Schema<?> bodySchema, JsonNode value) {
        Schema<?> resolved = values.resolve(bodySchema);
        if (!(value instanceof ObjectNode object) || resolved.getProperties() == null
                || resolved.getProperties().isEmpty()) {
            return values.wrongType(bodySchema);
        }
        List<String> names = new ArrayList<>(resolved.getProperties().keySet());
        String name = values.pick(names);
        object.set(name, values.wrongType(resolved.getProperties().get(name)));
        return object;
    }

    private void check(OpenApiInteractionValidator validator, Operation operation, Example example,
                       HttpResponse<String> response, List<String> failures) {
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse(null);
        String seen = example + " -> " + status + " " + type + " " + abbreviate(response.body());
        if (status == 500) {
            failures.add(seen + " [a 500 is a bug]");
        }
        if (example.invalid() && (status < 400 || status > 499)) {
            failures.add(seen + " [the document rules this input out: expected a 4xx]");
        }
        ApiResponse documented = operation.getResponses().get(Integer.toString(status));
        if (documented == null) {
            failures.add(seen + " [status not documented]");
            return;
        }
        if (isEventStream(type)) {
            if (documented.getContent() == null || !documented.getContent().containsKey(EVENT_STREAM)) {
                failures.add(seen + " [an event stream where the document says none]");
            }
            return;
        }
        String placeholder = example.template().replaceAll("\\{[^}]+}", "p");
        Request.Method method = Request.Method.valueOf(example.method());
        List<String> bodies = new ArrayList<>();
        if (type != null && type.startsWith("application/x-ndjson")) {
            response.body().lines().filter(line -> !line.isBlank()).forEach(bodies::add);
        } else {
            bodies.add(response.body());
        }
        for (String body : bodies) {
            SimpleResponse.Builder answer = SimpleResponse.Builder.status(status);
            if (type != null) {
                answer.withContentType(type);
            }
            if (body != null && !body.isEmpty()) {
                answer.withBody(body);
            }
            ValidationReport report = validator.validateResponse(placeholder, method, answer.build());
            if (report.hasErrors()) {
                failures.add(seen + " " + report.getMessages().stream().filter(m -> m.getLevel()
                        == ValidationReport.Level.ERROR).map(m -> m.getKey() + ": " + m.getMessage()).toList());
            }
        }
    }

    /**
     * What to accept: the operation's success types, and problem+json. A Server-Sent Events stream is asked for only
     * when it is all the operation answers (its stream is then cut once the status and headers are in: it never ends).
     */
    private static String accept(Operation operation) {
        List<String> types = new ArrayList<>();
        operation.getResponses().forEach((code, response) -> {
            if (code.startsWith("2") && response.getContent() != null) {
                response.getContent().keySet().stream().filter(t -> !t.equals(EVENT_STREAM))
                        .filter(t -> !types.contains(t)).forEach(types::add);
            }
        });
        if (types.isEmpty()) {
            types.add(EVENT_STREAM);
        }
        types.add("application/problem+json");
        return String.join(", ", types);
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body, String accept,
                                      Duration deadline) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + KEY).header("Accept", accept);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<java.io.InputStream> response = http.sendAsync(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream()).get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            String text;
            if (isEventStream(response.headers().firstValue("Content-Type").orElse(null))) {
                response.body().close(); // an endless stream: its status and headers are what is checked
                text = "";
            } else {
                text = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try (java.io.InputStream in = response.body()) {
                        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            }
            return new StringResponse(response, text);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getCause(), e.getCause());
        }
    }

    private static boolean isEventStream(String contentType) {
        return contentType != null && contentType.startsWith(EVENT_STREAM);
    }

    /** A response whose body was read as text (or left unread: an event stream's). */
    private record StringResponse(HttpResponse<?> response, String body) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return response.statusCode();
        }

        @Override
        public HttpRequest request() {
            return response.request();
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return response.headers();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return response.sslSession();
        }

        @Override
        public URI uri() {
            return response.uri();
        }

        @Override
        public HttpClient.Version version() {
            return response.version();
        }
    }

    @AfterEach
    void stopProvider() {
        if (provider != null) {
            provider.close();
        }
    }

    /**
     * Objects to aim at (an app with releases, a deployment, a job, a route, a key, an artifact, a provider served
     * over HTTP and two of its resources, one attached to the app), by name.
     */
    private Map<String, Supplier<List<String>>> fixture(Path dir) throws Exception {
        ControllerClient client = new ControllerClient(URI.create(base()), KEY);
        String app = uniqueName("fz");
        client.createApp(NewApp.named(app));
        Artifact artifact = client.createArtifact(new NewArtifact("slug", "blob:slugs/" + app + "/a.tgz", null, null,
                null));
        Release release = client.createRelease(app, new NewRelease(artifact.id(), Map.of("GREETING", "hi"),
                Map.of("web", ProcessType.web("node server.js"), "worker", ProcessType.worker("node worker.js")),
                Map.of(), "fuzz"));
        // before the deployment: attaching needs none under way
        provider = new TestProvider(KEY, "DATABASE_URL", "PGPASSWORD");
        String providerName = uniqueName("pv");
        client.createProvider(new NewProvider(providerName, provider.url().toString(), "fuzzed"));
        String attached = client.provision(providerName, NewResource.forApp(app)).id().toString();
        String loose = client.provision(providerName, null).id().toString();
        var deployment = client.deploy(app, new NewDeployment(release.id(), null));
        String job = app + "-web-" + UUID.randomUUID().toString().substring(0, 8);
        client.reportJob(app, job, new JobReport(release.id(), "web", "host-1", JobState.UP, null, null, 0, null,
                "127.0.0.1:20000"));
        String domain = app + ".example.com";
        client.addRoute(app, NewRoute.http(domain));
        String keyLine = newKey(dir, app + "-added");
        SshKey key = client.addKey(keyLine);
        List<String> freshKeys = List.of(newKey(dir, app + "-1"), newKey(dir, app + "-2"));
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(app.getBytes(
                StandardCharsets.UTF_8)));

        Map<String, Supplier<List<String>>> known = new LinkedHashMap<>();
        known.put("app", () -> List.of(app));
        known.put("name", () -> List.of(app, uniqueName("fz")));
        known.put("provider", () -> List.of(providerName));
        known.put("resource", () -> List.of(attached, loose));
        known.put("apps", () -> List.of(app));
        known.put("url", () -> List.of(provider.url().toString(), "discoverd+http://pier-fuzz-api"));
        known.put("release", () -> List.of(release.id().toString()));
        known.put("release_id", () -> List.of(release.id().toString()));
        known.put("artifact_id", () -> List.of(artifact.id().toString()));
        known.put("id", () -> List.of(deployment.id().toString(), artifact.id().toString(), job, key.id()));
        known.put("route", () -> List.of(domain, app + ".pier.localhost"));
        known.put("fingerprint", () -> List.of(key.id(), key.fingerprint()));
        known.put("domain", () -> List.of(uniqueName("fz") + ".example.com", domain));
        known.put("key", () -> List.of(keyLine, freshKeys.get(0), freshKeys.get(1)));
        known.put("command", () -> List.of("node server.js", "echo hi", "sleep 1"));
        known.put("uri", () -> List.of("blob:slugs/" + app + "/b.tgz", "http://127.0.0.1:1/blobs/slugs/x.tgz",
                "pier/app:tag"));
        known.put("type", () -> List.of("slug", "docker"));
        known.put("sha256", () -> List.of(sha));
        known.put("path", () -> List.of("/health", "/"));
        known.put("source", () -> List.of("sources/" + app + "/src.tgz"));
        known.put("commit", () -> List.of("abcdef1234"));
        known.put("process_type", () -> List.of("web", "worker"));
        known.put("process", () -> List.of("web", "worker"));
        known.put("host_id", () -> List.of("host-1"));
        known.put("address", () -> List.of("127.0.0.1:20000"));
        known.put("types", () -> List.of("app,release", "job", "nope"));
        known.put("processes.key", () -> List.of("web", "worker"));
        known.put("env.key", () -> List.of("GREETING", "A_1"));
        known.put("meta.key", () -> List.of("team"));
        known.put("Last-Event-ID", () -> List.of("1", "abc"));
        return known;
    }

    /** A new ed25519 public key line from the real ssh-keygen. */
    private static String newKey(Path dir, String comment) throws Exception {
        Path file = dir.resolve(comment);
        Command.check(Duration.ofSeconds(30), List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment,
                "-f", file.toString()));
        return Files.readString(dir.resolve(comment + ".pub")).strip();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
