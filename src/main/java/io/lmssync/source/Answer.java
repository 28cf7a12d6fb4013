package io.lmssync.source;

import java.util.List;

/**
 * What checking a downloaded answer found: how many records it holds, the envelope's {@code totalItems} (null
 * without one) and the records' ids when the shape asked for them. On the exchange as {@link #PROPERTY}.
 */
public record Answer(long records, Long totalItems, List<String> ids) {

    public static final String PROPERTY = "lmsAnswer";
}
