package io.lmssync.sink.xapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The xAPI 1.0.3 statement schema ({@code schema/xapi-statement-1.0.3.schema.json}), checked before a send. */
public final class StatementSchema {

    static final String RESOURCE = "schema/xapi-statement-1.0.3.schema.json";

    private final JsonSchema schema;

    public StatementSchema() {
        try (InputStream in = StatementSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What makes the statement invalid, one line; empty when it is valid. */
    public Optional<String> problems(JsonNode statement) {
        Set<ValidationMessage> messages = schema.validate(statement);
        return messages.isEmpty() ? Optional.empty()
                : Optional.of(messages.stream().map(ValidationMessage::getMessage).sorted()
                        .collect(Collectors.joining("; ")));
    }
}
