package io.lmssync.check;

import java.util.Locale;

/**
 * One thing a first-contact check proved, or could not: of a stream (or {@code thrive}), what was checked, how it
 * went, the evidence (what was sent and what came back; never a secret, never a learner's address) and the setting
 * to fix when it did not hold.
 */
public record Check(String stream, String name, Outcome outcome, String evidence, String setting) {

    /** How a check went; the worst of a stream's is the stream's. */
    public enum Outcome {
        OK, WARNING, FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public Outcome worst(Outcome other) {
            return other.ordinal() > ordinal() ? other : this;
        }
    }

    static Check ok(String stream, String name, String evidence) {
        return new Check(stream, name, Outcome.OK, evidence, "");
    }

    static Check warning(String stream, String name, String evidence, String setting) {
        return new Check(stream, name, Outcome.WARNING, evidence, setting == null ? "" : setting);
    }

    static Check failed(String stream, String name, String evidence, String setting) {
        return new Check(stream, name, Outcome.FAILED, evidence, setting == null ? "" : setting);
    }
}
