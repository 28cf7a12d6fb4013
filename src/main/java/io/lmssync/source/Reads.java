package io.lmssync.source;

import java.util.List;

/**
 * The fields of a source's object a mapper reads: its id fields, without which an object is a dead letter, and the
 * fields it maps ({@code user.email} for a nested one). A body that selects fields asks for these (Continu's
 * Reporting API), and a check proves a tenant's objects carry them.
 */
public record Reads(List<String> ids, List<String> fields) {

    public Reads {
        ids = List.copyOf(ids);
        fields = List.copyOf(fields);
    }

    /** Reads nothing it needs to name (a stream whose objects are kept as they come). */
    public static final Reads NONE = new Reads(List.of(), List.of());
}
