package io.lmssync.source;

import java.util.List;

/**
 * Where the records sit in an answer (the record selector): a top-level array, or the array field {@code itemsField}
 * of an envelope object (a bare array is accepted then too, as some endpoints answer one), whose {@code totalField}
 * says how many records the whole collection holds. With {@code idField} set, the ids of the records are collected
 * while the answer is checked (for paging guards and listings; pages are small). With {@code objectSequence}, an
 * answer of bare objects separated by commas or newlines, with no enclosing brackets, is read as the array it stands
 * for ({@link ObjectSequence}). With {@code keyFields}, the records an answer holds more than once are found while it
 * is checked ({@link Duplicates}).
 */
public record AnswerShape(String itemsField, String totalField, String idField, boolean objectSequence,
        List<String> keyFields) {

    public AnswerShape {
        keyFields = List.copyOf(keyFields);
    }

    public static final AnswerShape ARRAY = new AnswerShape(null, null, null, false, List.of());

    /** A bare array, or bare objects separated by commas or newlines (MOOCit's page shows the latter). */
    public static final AnswerShape ARRAY_OR_OBJECTS = new AnswerShape(null, null, null, true, List.of());

    /** Records in the envelope's {@code itemsField} (or a bare array), ids from {@code idField}. */
    public static AnswerShape envelope(String itemsField, String totalField, String idField) {
        return new AnswerShape(itemsField, totalField, idField, false, List.of());
    }

    /** A bare array whose records' ids are collected (a check reads its children through them). */
    public static AnswerShape array(String idField) {
        return new AnswerShape(null, null, idField, false, List.of());
    }

    /**
     * The same shape, its records told apart by these fields (the mapper's ids): an answer that holds one more than
     * once is found while it is checked ({@link Duplicates}).
     */
    public AnswerShape keyedBy(List<String> fields) {
        return new AnswerShape(itemsField, totalField, idField, objectSequence, fields);
    }

    /** How the shape reads, for a check's evidence. */
    public String describe() {
        return itemsField == null ? objectSequence ? "a JSON array, or objects separated by commas or newlines"
                : "a JSON array" : "an envelope with \"" + itemsField + "\"" + (totalField == null ? ""
                        : " and \"" + totalField + "\"") + " (or a bare array)";
    }
}
