package io.lmssync.ops;

import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.ValueMasker;

/**
 * Masks the secrets lms-sync holds out of every string value of a JSON log line (message, MDC, arguments, stack
 * trace), as the value is handed to the JSON writer: before escaping, so a secret holding {@code "}, {@code \} or
 * {@code /} is found as it is, not as its escaped form.
 */
public final class SecretValueMasker implements ValueMasker {

    @Override
    public Object mask(JsonStreamContext context, Object value) {
        if (value instanceof CharSequence text) {
            String original = text.toString();
            String masked = Secrets.mask(original);
            return masked.equals(original) ? null : masked; // null: the value is written as it is
        }
        return null;
    }
}
