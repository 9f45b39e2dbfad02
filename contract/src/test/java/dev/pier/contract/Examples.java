package dev.pier.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

/**
 * Values for the fuzz, read from the document's schemas: valid ones (the right JSON types, required properties
 * present, enums from their values; strings and numbers drawn from what the wire carries, so that many examples get
 * past the server's own checks) and invalid ones (one thing wrong that the document itself rules out). Pure: every
 * choice comes from the {@link Random} it is given, so a seed replays a run.
 */
final class Examples {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 6;
    private static final List<String> TEXT = List.of("", "x", "web", "a b", "ünïcode ✓", "../../etc/passwd", "%2F",
            "null", "0", "-1", "{}", "a".repeat(300), "line\nbreak", "tab\there", "quote\"d", "<script>", "DROP TABLE apps;");

    private final OpenAPI document;
    private final Random random;
    /** Known values by property or parameter name (an app's name, a release's id, ...): what makes examples land. */
    private final Function<String, List<String>> known;

    Examples(OpenAPI document, Random random, Function<String, List<String>> known) {
        this.document = document;
        this.random = random;
        this.known = known;
    }

    Schema<?> resolve(Schema<?> schema) {
        Schema<?> at = schema;
        for (int i = 0; at != null && at.get$ref() != null && i < 10; i++) {
            String name = at.get$ref().substring(at.get$ref().lastIndexOf('/') + 1);
            at = document.getComponents().getSchemas().get(name);
        }
        return at;
    }

    /** A value the schema allows. */
    JsonNode valid(Schema<?> schema, String name, int depth) {
        Schema<?> s = resolve(schema);
        if (s == null) {
            return JSON.objectNode();
        }
        if (Boolean.TRUE.equals(s.getNullable()) && random.nextInt(6) == 0) {
            return JSON.nullNode();
        }
        if (s.getEnum() != null && !s.getEnum().isEmpty()) {
            return JSON.textNode(String.valueOf(s.getEnum().get(random.nextInt(s.getEnum().size()))));
        }
        String type = type(s);
        switch (type) {
            case "object" -> {
                ObjectNode object = JSON.objectNode();
                List<String> required = s.getRequired() == null ? List.of() : s.getRequired();
                if (s.getProperties() != null && depth < MAX_DEPTH) {
                    for (Map.Entry<String, Schema> property : s.getProperties().entrySet()) {
                        if (required.contains(property.getKey()) || random.nextBoolean()) {
                            object.set(property.getKey(), valid(property.getValue(), property.getKey(), depth + 1));
                        }
                    }
                }
                if (s.getAdditionalProperties() instanceof Schema<?> values && depth < MAX_DEPTH) {
                    int entries = random.nextInt(4);
                    for (int i = 0; i < entries; i++) {
                        object.set(key(name), valid(values, name + ".*", depth + 1));
                    }
                }
                return object;
            }
            case "array" -> {
                ArrayNode array = JSON.arrayNode();
                int items = random.nextInt(4) + (name != null && name.equals("command") ? 1 : 0);
                for (int i = 0; i < items && depth < MAX_DEPTH; i++) {
                    array.add(valid(s.getItems(), name, depth + 1));
                }
                return array;
            }
            case "integer" -> {
                return JSON.numberNode(integer(s, name));
            }
            case "number" -> {
                return JSON.numberNode(random.nextDouble() * 100);
            }
            case "boolean" -> {
                return JSON.booleanNode(random.nextBoolean());
            }
            default -> {
                return JSON.textNode(string(s, name));
            }
        }
    }

    /** A value the schema rules out: the wrong JSON type (or, for an enum or a uuid, a string that is none). */
    JsonNode wrongType(Schema<?> schema) {
        Schema<?> s = resolve(schema);
        String type = s == null ? "object" : type(s);
        if (s != null && s.getEnum() != null && !s.getEnum().isEmpty() && random.nextBoolean()) {
            return JSON.textNode("not-one-of-" + s.getEnum().size());
        }
        if (s != null && "uuid".equals(s.getFormat()) && random.nextBoolean()) {
            return JSON.textNode("not-a-uuid");
        }
        if (s != null && "date-time".equals(s.getFormat()) && random.nextBoolean()) {
            return JSON.textNode("yesterday");
        }
        List<JsonNode> others = new ArrayList<>();
        if (!type.equals("string")) {
            others.add(JSON.textNode("text"));
        }
        if (!type.equals("integer") && !type.equals("number")) {
            others.add(JSON.numberNode(7));
        }
        if (type.equals("integer")) {
            others.add(JSON.numberNode(1.5));
        }
        if (!type.equals("boolean")) {
            others.add(JSON.booleanNode(true));
        }
        if (!type.equals("array")) {
            others.add(JSON.arrayNode().add(1));
        }
        if (!type.equals("object")) {
            others.add(JSON.objectNode().put("k", "v"));
        }
        return others.get(random.nextInt(others.size()));
    }

    /** A query or path parameter's value as text; {@code valid} false gives one of the wrong type. */
    String parameter(Schema<?> schema, String name, boolean valid) {
        Schema<?> s = resolve(schema);
        String type = s == null ? "string" : type(s);
        if (!valid) {
            return switch (type) {
                case "integer", "number" -> pick(List.of("abc", "1.5", "99999999999999999999", "0x10"));
                case "boolean" -> pick(List.of("maybe", "2", "yes!"));
                default -> pick(List.of("..", "%2e%2e%2f", "a%2Fb", "%00", "%C3%84pp", "a".repeat(300), "%20x"));
            };
        }
        return switch (type) {
            case "integer" -> Long.toString(integer(s, name));
            case "boolean" -> Boolean.toString(random.nextBoolean());
            default -> string(s, name);
        };
    }

    private long integer(Schema<?> s, String name) {
        if (random.nextInt(5) == 0) {
            return pick(List.of(-1L, 0L, 101L, 3601L, 65536L, (long) Integer.MAX_VALUE));
        }
        return switch (name == null ? "" : name) {
            case "port" -> pick(List.of(8080L, 5000L, 80L));
            case "deploy_timeout" -> 1 + random.nextInt(3600);
            case "memory_mb" -> pick(List.of(64L, 256L, 512L));
            case "count", "limit", "lines" -> 1 + random.nextInt(50);
            case "since" -> random.nextInt(20);
            default -> random.nextInt(4);
        };
    }

    private String string(Schema<?> s, String name) {
        List<String> values = name == null ? List.of() : known.apply(name);
        if (!values.isEmpty() && random.nextInt(4) != 0) {
            return pick(values);
        }
        if ("uuid".equals(s.getFormat())) {
            return UUID.randomUUID().toString();
        }
        if ("date-time".equals(s.getFormat())) {
            return Instant.now().plusSeconds(random.nextInt(600)).toString();
        }
        if (random.nextInt(3) == 0) {
            return pick(TEXT);
        }
        byte[] bytes = new byte[1 + random.nextInt(6)];
        random.nextBytes(bytes);
        return "v" + HexFormat.of().formatHex(bytes);
    }

    private String key(String map) {
        List<String> keys = known.apply((map == null ? "" : map) + ".key");
        if (!keys.isEmpty() && random.nextInt(4) != 0) {
            return pick(keys);
        }
        return pick(List.of("A", "B_2", "lower", "1BAD", "bad name", "", "web", "worker", "x".repeat(120)));
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String type(Schema<?> s) {
        if (s.getType() != null) {
            return s.getType();
        }
        if (s.getTypes() != null && !s.getTypes().isEmpty()) {
            return s.getTypes().iterator().next();
        }
        if (s.getProperties() != null || s.getAdditionalProperties() != null) {
            return "object";
        }
        return s.getItems() != null ? "array" : "string";
    }
}
