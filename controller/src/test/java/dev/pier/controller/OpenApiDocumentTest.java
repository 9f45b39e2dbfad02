package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.api.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #17 item 9: {@code /openapi.json} did not describe the wire (camelCase names where the API reads snake_case,
 * no required fields, success codes only, 201s as 200, env values string-only, Spring's {@code /error} listed), so a
 * client generated from it got 400 on its first call. The contract module generates a client from this document and
 * fuzzes it; these are the particular symptoms, checked on the document the controller serves.
 */
class OpenApiDocumentTest extends ControllerTestSupport {
    private static final List<String> METHODS = List.of("get", "put", "post", "patch", "delete");
    private JsonNode doc;

    @BeforeEach
    void read() throws Exception {
        var response = raw("GET", "/openapi.json", null);
        assertThat(response.statusCode()).isEqualTo(200);
        doc = Json.mapper().readTree(response.body());
    }

    @Test
    void schemasUseTheSnakeCaseNamesTheApiReadsAndWrites() {
        List<String> names = new ArrayList<>();
        doc.path("components").path("schemas").fields().forEachRemaining(schema ->
                schema.getValue().path("properties").fieldNames().forEachRemaining(name -> names.add(
                        schema.getKey() + "." + name)));
        assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(name).matches("[A-Za-z]+\\.[a-z][a-z0-9_]*"));
        assertThat(names).contains("App.release_id", "App.deploy_timeout", "NewJob.memory_mb", "NewDeployment.release_id",
                "Release.created_at", "ProcessType.health_check");
    }

    @Test
    void requiredFieldsAreRequired() {
        JsonNode schemas = doc.path("components").path("schemas");
        assertThat(strings(schemas.path("NewArtifact").path("required"))).containsExactlyInAnyOrder("type", "uri");
        assertThat(strings(schemas.path("NewDeployment").path("required"))).containsExactly("release_id");
        assertThat(strings(schemas.path("ProcessType").path("required"))).containsExactly("command");
        assertThat(strings(schemas.path("App").path("required"))).contains("id", "name", "strategy", "created_at")
                .doesNotContain("release_id");
        assertThat(strings(schemas.path("Problem").path("required"))).contains("status", "detail");
    }

    @Test
    void everyOperationDocumentsItsProblemsAsProblemJson() {
        List<String> missing = new ArrayList<>();
        operations().forEach((where, operation) -> {
            JsonNode responses = operation.path("responses");
            List<String> expected = new ArrayList<>(List.of("500"));
            if (!where.endsWith(" /health")) {
                expected.add("401");
            }
            if (where.contains("{")) {
                expected.addAll(List.of("400", "404"));
            }
            if (operation.has("requestBody")) {
                expected.addAll(List.of("400", "413", "415"));
            }
            for (String code : expected) {
                if (!responses.has(code)) {
                    missing.add(where + " has no " + code);
                }
            }
            responses.fields().forEachRemaining(response -> {
                if (response.getKey().matches("[45]..") && !where.endsWith(" /health")) {
                    JsonNode schema = response.getValue().path("content").path("application/problem+json").path("schema");
                    if (!schema.path("$ref").asText().equals("#/components/schemas/Problem")) {
                        missing.add(where + " " + response.getKey() + " is not a problem+json Problem");
                    }
                }
            });
            if (!responses.fieldNames().hasNext() || !responses.fieldNames().next().startsWith("2")) {
                missing.add(where + " documents no success");
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    void createdAnswersAreDocumentedAs201() {
        Map<String, JsonNode> operations = operations();
        for (String created : List.of("POST /apps", "POST /artifacts", "POST /apps/{app}/releases", "POST /apps/{app}/deploy",
                "POST /apps/{app}/routes", "POST /keys", "POST /apps/{app}/jobs", "POST /apps/{app}/builds",
                "POST /apps/{app}/rollback")) {
            JsonNode responses = operations.get(created).path("responses");
            assertThat(responses.has("201")).as(created).isTrue();
            assertThat(responses.has("200")).as(created).isFalse();
        }
        JsonNode env = operations.get("PATCH /apps/{app}/env").path("responses");
        assertThat(env.has("200")).as("PATCH env without a change").isTrue();
        assertThat(env.has("201")).as("PATCH env with a change").isTrue();
        assertThat(operations.get("DELETE /apps/{app}").path("responses").has("204")).isTrue();
    }

    @Test
    void envChangesTakeNullToUnsetAVar() {
        JsonNode values = operations().get("PATCH /apps/{app}/env").path("requestBody").path("content")
                .path("application/json").path("schema").path("additionalProperties");
        assertThat(values.path("type").asText()).isEqualTo("string");
        assertThat(values.path("nullable").asBoolean()).isTrue();
    }

    @Test
    void springsErrorPathIsNotAnOperation() {
        assertThat(doc.path("paths").has("/error")).isFalse();
        assertThat(doc.path("openapi").asText()).startsWith("3.0");
    }

    @Test
    void operationIdsAreUniqueAndTheClusterKeyIsTheSecurityScheme() {
        List<String> ids = new ArrayList<>();
        operations().values().forEach(operation -> ids.add(operation.path("operationId").asText()));
        assertThat(ids).doesNotHaveDuplicates().noneMatch(id -> id.matches(".*_\\d+"));
        assertThat(doc.path("components").path("securitySchemes").path("clusterKey").path("scheme").asText())
                .isEqualTo("bearer");
        assertThat(operations().get("GET /health").path("security").isEmpty()).isTrue();
    }

    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new java.util.TreeMap<>();
        doc.path("paths").fields().forEachRemaining(path -> {
            for (String method : METHODS) {
                if (path.getValue().has(method)) {
                    operations.put(method.toUpperCase() + " " + path.getKey(), path.getValue().get(method));
                }
            }
        });
        return operations;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
