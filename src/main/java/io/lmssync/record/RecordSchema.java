package io.lmssync.record;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Collectors;

/** Validates canonical records against {@code schema/learning-record-v1.schema.json}, the record's contract. */
public final class RecordSchema {

    public static final String LOCATION = "schema/learning-record-v1.schema.json";

    private final JsonSchema schema;

    public RecordSchema() {
        try (InputStream in = RecordSchema.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException("the record schema " + LOCATION + " is missing from the classpath");
            }
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LOCATION, e);
        }
    }

    /** What is wrong with the record, one sentence a problem, or an empty string when it is valid. */
    public String problems(LearningRecord record) {
        Set<ValidationMessage> messages = schema.validate(Json.tree(record));
        return messages.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
    }
}
