package io.lmssync.source;

/** One vendor object cannot become a canonical record; it goes to the dead-letter store with this reason. */
public final class InvalidRecordException extends Exception {

    private final String recordId;

    public InvalidRecordException(String recordId, String reason) {
        super(reason);
        this.recordId = recordId;
    }

    /** The record_id the object would have had, or null when not even that is known. */
    public String recordId() {
        return recordId;
    }
}
