package io.lmssync.ops;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secret values this process holds (tokens, passwords, keys), so that {@link #mask} can cut them out of anything
 * written for people: log lines, error messages, dead-letter reasons, JMX attributes.
 */
public final class Secrets {

    public static final String MASK = "******";

    /** Shorter values are too likely to occur by chance to be worth masking (and would mangle ordinary text). */
    private static final int MIN_LENGTH = 4;

    private static final List<String> VALUES = new CopyOnWriteArrayList<>();

    private Secrets() {
    }

    /** Remembers a secret value; returns it unchanged. */
    public static String register(String value) {
        if (value != null && value.length() >= MIN_LENGTH && !VALUES.contains(value)) {
            VALUES.add(value);
            // longest first, so that a secret containing another is masked whole
            VALUES.sort(Comparator.comparingInt(String::length).reversed());
        }
        return value;
    }

    /** The text with every registered secret replaced by {@link #MASK}. */
    public static String mask(String text) {
        if (text == null || VALUES.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String secret : VALUES) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }
}
