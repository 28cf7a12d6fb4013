package io.lmssync.source;

/** A vendor answered with something that is not the JSON it promised; the message says where it broke. */
public final class MalformedAnswerException extends RuntimeException {

    public MalformedAnswerException(String message, Throwable cause) {
        super(message, cause);
    }
}
