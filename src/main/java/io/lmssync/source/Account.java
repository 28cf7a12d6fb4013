package io.lmssync.source;

import io.lmssync.sync.SyncRun;
import org.apache.camel.Exchange;

/**
 * Whose rate budget and token a call spends: the vendor of the exchange's run, unless the call names another account
 * in the {@code lmsAccount} property (the Thrive push does: its calls happen inside a vendor's run).
 */
public final class Account {

    public static final String PROPERTY = "lmsAccount";

    private Account() {
    }

    /** The account's key, or null outside a run. */
    public static String of(Exchange exchange) {
        String named = exchange.getProperty(PROPERTY, String.class);
        if (named != null) {
            return named;
        }
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        return run == null ? null : run.vendor();
    }
}
