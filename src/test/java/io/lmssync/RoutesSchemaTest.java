package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.lmssync.record.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every route file validates against Camel's own YAML DSL schema (camelYamlDsl.json, from the camel-yaml-dsl jar this
 * build uses), options typed as the schema types them (a whole-value placeholder is the one string allowed for a
 * boolean or a number).
 */
class RoutesSchemaTest {

    @Test
    void everyRouteFileValidatesAgainstCamelsYamlDslSchema() throws Exception {
        JsonSchema schema;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        List<Path> files;
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            files = routes.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).as("the route files, read from routes/").hasSizeGreaterThanOrEqualTo(5);
        for (Path file : files) {
            Object routes = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            JsonNode tree = Json.MAPPER.valueToTree(routes);
            List<String> problems = schema.validate(tree).stream().filter(p -> !wholePlaceholder(p))
                    .map(ValidationMessage::getMessage).toList();
            assertThat(problems).as(file.toString()).isEmpty();
        }
    }

    /** A string that is one property placeholder, where the schema wants a number or a boolean: Camel resolves it. */
    private static boolean wholePlaceholder(ValidationMessage problem) {
        JsonNode value = problem.getInstanceNode();
        return "type".equals(problem.getType()) && value != null && value.isTextual()
                && value.asText().matches("\\{\\{[^{}]+}}");
    }

    @Test
    void theSchemaCatchesAnOptionTypedAsAStringWhereItIsABoolean() throws Exception {
        JsonSchema schema;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        Object route = new Load(LoadSettings.builder().build()).loadFromString("""
                - route:
                    from:
                      uri: direct:a
                      steps:
                        - split:
                            simple: "${body}"
                            streaming: "yes"
                            steps:
                              - to: direct:b
                """);
        assertThat(schema.validate(Json.MAPPER.valueToTree(route))).isNotEmpty();
    }
}
