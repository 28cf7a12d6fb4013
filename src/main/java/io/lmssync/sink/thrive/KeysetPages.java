package io.lmssync.sink.thrive;

import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Rows read page after page in key order, each page starting after the key the last one ended at: any number of
 * rows, with at most two pages in memory and one in any query's parameters, and no cursor held open while a page is
 * worked through. Camel's streaming split reads the next page before it hands on the current one (to know whether it is the
 * last). That is harmless here: pages hold different rows, and a completion pushed from one page is in push_done when
 * the next page comes to it.
 */
final class KeysetPages<K, T> implements Iterator<List<T>> {

    /** Reads the page after a key. */
    @FunctionalInterface
    interface Reader<K, T> {
        List<T> after(K key) throws SQLException;
    }

    private final Reader<K, T> reader;
    private final Function<T, K> keyOf;
    private K after;
    private List<T> page;

    KeysetPages(K first, Reader<K, T> reader, Function<T, K> keyOf) {
        this.after = first;
        this.reader = reader;
        this.keyOf = keyOf;
    }

    @Override
    public boolean hasNext() {
        if (page == null) {
            try {
                page = reader.after(after);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the next page: " + e.getMessage(), e);
            }
        }
        return !page.isEmpty();
    }

    @Override
    public List<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        List<T> current = page;
        after = keyOf.apply(current.get(current.size() - 1));
        page = null;
        return current;
    }
}
