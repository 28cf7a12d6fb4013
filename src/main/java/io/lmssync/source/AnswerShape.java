package io.lmssync.source;

/**
 * Where the records sit in an answer (the record selector): a top-level array, or the array field {@code itemsField}
 * of an envelope object (a bare array is accepted then too, as some endpoints answer one), whose {@code totalField}
 * says how many records the whole collection holds. With {@code idField} set, the ids of the records are collected
 * while the answer is checked (for paging guards and listings; pages are small).
 */
public record AnswerShape(String itemsField, String totalField, String idField, boolean noneWhenAbsent) {

    public static final AnswerShape ARRAY = new AnswerShape(null, null, null, false);

    /**
     * A bare array, where a 404 means no records: what a partition's parent held is gone (the children of an Absorb
     * enrollment deleted since it was handed over), so the partition is read, empty, and the stream goes on. The
     * account's gateway must let 404 through ({@code ok-status}); any other request's 404 still fails as before.
     */
    public static final AnswerShape ARRAY_OR_NONE_WHEN_ABSENT = new AnswerShape(null, null, null, true);

    /** Records in the envelope's {@code itemsField} (or a bare array), ids from {@code idField}. */
    public static AnswerShape envelope(String itemsField, String totalField, String idField) {
        return new AnswerShape(itemsField, totalField, idField, false);
    }
}
