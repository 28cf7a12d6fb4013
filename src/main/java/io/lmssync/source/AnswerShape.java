package io.lmssync.source;

/**
 * Where the records sit in a vendor's answer: a top-level array, or the array field {@code itemsField} of an
 * envelope object (a bare array is accepted then too, as some endpoints answer one). With {@code idField} set, the
 * ids of the records are collected while the answer is checked (for paging guards; pages are small).
 */
public record AnswerShape(String itemsField, String idField) {

    public static final AnswerShape ARRAY = new AnswerShape(null, null);
}
