package dev.pier.web.openapi;

import dev.pier.web.ApiProblem;
import dev.pier.web.PierWebProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;

/**
 * What springdoc cannot know from the handler methods alone, added to the document so that it describes the wire:
 * <ul>
 *   <li>each operation's tag is its resource (the controller's name without {@code Controller}) and its id is the
 *       handler method's name, suffixed with the resource when another handler has the same name;</li>
 *   <li>a record's schema is closed ({@code additionalProperties: false}), as services read JSON strictly;</li>
 *   <li>the cluster key as an HTTP bearer security scheme, required everywhere but the open paths;</li>
 *   <li>every problem+json answer an operation can give: 401 without the key, 400 when it takes input, 404 when
 *       its path names something, 413 and 415 when it takes a body, 500 (a bug, but a documented shape), plus the
 *       ones its handler declares with {@code @ApiResponse} (409, 503, ...). Every 4xx/5xx response's body is a
 *       {@code Problem} (an open path such as {@code /health} may declare a body of its own).</li>
 * </ul>
 */
public final class OpenApiWire implements GlobalOperationCustomizer, GlobalOpenApiCustomizer {
    public static final String PROBLEM = "Problem";
    public static final String PROBLEM_JSON = "application/problem+json";
    static final String CLUSTER_KEY = "clusterKey";
    private static final String HANDLER = "x-pier-handler";

    private final String service;
    private final List<String> openPaths;

    public OpenApiWire(String service, List<String> openPaths) {
        this.service = service;
        this.openPaths = openPaths;
    }

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        String resource = handler.getBeanType().getSimpleName().replaceFirst("Controller$", "");
        operation.setTags(List.of(resource));
        operation.setOperationId(handler.getMethod().getName());
        // the resource, for telling apart handlers of the same name once the whole document is known
        operation.addExtension(HANDLER, resource);
        return operation;
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.setInfo(new Info().title(service).version(openApi.getInfo() == null ? "v0" : openApi.getInfo().getVersion())
                .description("The HTTP API of " + service + ". JSON with snake_case names; every 4xx and 5xx answer is "
                        + "an RFC 9457 problem (application/problem+json)."));
        // the service that served the document, wherever that is (not the address of the run that made it)
        openApi.setServers(List.of(new Server().url("/").description("the service that serves this document")));
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.setComponents(components);
        closeRecords(components);
        components.addSchemas(PROBLEM, problemSchema());
        components.addSecuritySchemes(CLUSTER_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("the cluster key: Authorization: Bearer <key>"));
        openApi.setSecurity(List.of(new SecurityRequirement().addList(CLUSTER_KEY)));
        if (openApi.getPaths() == null) {
            return;
        }
        Map<String, List<Operation>> byId = new TreeMap<>();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            problems(path, method, operation);
            byId.computeIfAbsent(String.valueOf(operation.getOperationId()), id -> new ArrayList<>()).add(operation);
        }));
        dropUnused(openApi);
        byId.forEach((id, operations) -> operations.forEach(operation -> {
            Object resource = operation.getExtensions() == null ? null : operation.getExtensions().remove(HANDLER);
            if (operations.size() > 1 && resource != null) {
                operation.setOperationId(id + resource);
            }
            if (operation.getExtensions() != null && operation.getExtensions().isEmpty()) {
                operation.setExtensions(null);
            }
        }));
    }

    /**
     * A record's schema lists every property there is: services refuse unknown fields in requests, and write only
     * the record's own in answers ({@code additionalProperties: false}).
     */
    @SuppressWarnings("rawtypes")
    private static void closeRecords(Components components) {
        if (components.getSchemas() == null) {
            return;
        }
        for (Schema schema : components.getSchemas().values()) {
            if (schema.getProperties() != null && !schema.getProperties().isEmpty()
                    && schema.getAdditionalProperties() == null) {
                schema.setAdditionalProperties(Boolean.FALSE);
            }
        }
    }

    /** Schemas no operation refers to any more (a handler's return type that its annotations replaced). */
    private static void dropUnused(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        boolean dropped = true;
        while (dropped) {
            String json = io.swagger.v3.core.util.Json.pretty(openApi);
            dropped = schemas.keySet().removeIf(name -> !json.contains("\"#/components/schemas/" + name + "\""));
        }
    }

    private void problems(String path, PathItem.HttpMethod method, Operation operation) {
        boolean open = PierWebProperties.matches(openPaths, path);
        if (open) {
            operation.setSecurity(List.of());
        }
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        boolean body = operation.getRequestBody() != null;
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        if (!open) {
            add(responses, HttpStatus.UNAUTHORIZED, "the cluster key is missing or wrong");
        }
        if (body || !parameters.isEmpty()) {
            add(responses, HttpStatus.BAD_REQUEST, "the input is invalid; the problem's field names the culprit");
        }
        if (parameters.stream().anyMatch(p -> "path".equals(p.getIn()))) {
            add(responses, HttpStatus.NOT_FOUND, "what the path names does not exist");
        }
        if (body) {
            add(responses, HttpStatus.PAYLOAD_TOO_LARGE, "the request body is over the service's limit");
            add(responses, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "the request body is not JSON");
        }
        add(responses, HttpStatus.INTERNAL_SERVER_ERROR, "an internal error: a bug in Pier");
        responses.forEach((code, response) -> {
            // springdoc gives a declared error response the handler's return type as its body: but every error of
            // the API is a problem (an open path such as /health may describe a body of its own)
            boolean declared = response.getContent() != null && !response.getContent().isEmpty();
            if (code.matches("[45]\\d\\d") && (!open || !declared)) {
                response.setContent(new Content().addMediaType(PROBLEM_JSON,
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
            }
        });
        // numeric order, so the document reads (and diffs) the same every time
        Map<String, ApiResponse> sorted = new TreeMap<>(Comparator.naturalOrder());
        sorted.putAll(responses);
        responses.clear();
        responses.putAll(sorted);
    }

    private static void add(ApiResponses responses, HttpStatus status, String description) {
        String code = Integer.toString(status.value());
        if (!responses.containsKey(code)) {
            responses.addApiResponse(code, new ApiResponse().description(description));
        }
    }

    /** RFC 9457's members as Pier's services write them ({@link ApiProblem}), with Pier's {@code field}. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static Schema problemSchema() {
        Schema problem = new ObjectSchema()
                .description("An RFC 9457 problem: every 4xx and 5xx answer of a Pier service")
                .addProperty("type", new StringSchema().description("a URI naming the kind of problem"))
                .addProperty("title", new StringSchema().description("the status's reason phrase"))
                .addProperty("status", new IntegerSchema().format("int32").description("the HTTP status"))
                .addProperty("detail", new StringSchema().description("what went wrong and what to change, for people"))
                .addProperty("instance", new StringSchema().description("the request's path, when given"))
                .addProperty("field", new StringSchema().description("the request field at fault, when one is"));
        problem.setRequired(List.of("type", "title", "status", "detail"));
        return problem;
    }
}
