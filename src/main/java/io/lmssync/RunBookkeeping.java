package io.lmssync;

import io.lmssync.source.Source;
import io.lmssync.source.Sources;
import io.lmssync.source.TokenProvider;
import io.lmssync.sync.AccountSlots;
import io.lmssync.sync.StreamControl;
import io.lmssync.sync.StreamSlots;
import io.lmssync.sync.SyncRuns;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;

/**
 * The runs' bookkeeping, bound as {@code syncRuns} and closed when Camel stops: what an operator set (paused streams,
 * the audit), the slots this process holds under its node's name, and the accounts whose runs may not overlap.
 */
record RunBookkeeping(SyncRuns syncRuns, StreamSlots slots, AccountSlots accounts) {

    static RunBookkeeping bind(CamelContext context, Settings settings, Sources sources, Database database,
            Map<String, TokenProvider> tokens) throws Exception {
        String node = ManagementFactory.getRuntimeMXBean().getName();
        StreamControl control = new StreamControl(database.pool(), Clock.systemUTC(), node);
        StreamSlots slots = new StreamSlots(database.pool(), node);
        AccountSlots accountSlots = new AccountSlots(slots, oneRunAtATime(settings, sources), account -> {
            TokenProvider token = tokens.get(account);
            if (token != null) {
                token.invalidate();
            }
        });
        SyncRuns syncRuns = new SyncRuns(database.pool(), sources, Clock.systemUTC(), control, slots, accountSlots,
                settings.flag("sync.run-once"));
        syncRuns.context(context);
        LmsSyncConfiguration.closeOnStop(context, syncRuns::close);
        context.getRegistry().bind("syncRuns", syncRuns);
        return new RunBookkeeping(syncRuns, slots, accountSlots);
    }

    /** The accounts that allow one session per credentials: {@code <account>.one-run-at-a-time=true}. */
    private static Set<String> oneRunAtATime(Settings settings, Sources sources) {
        Set<String> accounts = new HashSet<>();
        for (Source source : sources.enabled()) {
            String key = source.account() + ".one-run-at-a-time";
            if (settings.optional(key).isPresent() && settings.flag(key)) {
                accounts.add(source.account());
            }
        }
        return accounts;
    }
}
