package io.lmssync.source;

/**
 * A vendor's call went past one of lms-sync's own limits (its deadline, its answer's size, the spool's free space):
 * the stream fails at once, naming the setting, and nothing of the answer is delivered. Not retried within the run: the
 * same call would most likely do the same again; the next run tries it afresh.
 */
public final class AnswerLimitException extends RuntimeException {

    public AnswerLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
