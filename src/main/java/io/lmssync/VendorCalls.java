package io.lmssync;

import io.lmssync.sink.Sinks;
import io.lmssync.source.RateBudgets;
import io.lmssync.source.RequestBounds;
import io.lmssync.source.Sources;
import io.lmssync.sync.DatabaseClock;
import io.lmssync.sync.OwnExchange;
import io.lmssync.sync.SourceRuns;
import io.lmssync.sync.SyncWindows;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;

/**
 * The calls to the vendors, bound by the names the routes use: every call's deadline and its answer's cap, per account
 * (the spool keeps room on its disk for the rest); the windows a sync reads; one rate budget per account
 * ({@link AccountBudgets}); the runs of a source's streams. Bounds and runs are closed when Camel stops.
 */
record VendorCalls(RequestBounds bounds, RateBudgets budgets, SourceRuns sourceRuns, SyncWindows windows) {

    static VendorCalls bind(CamelContext context, Settings settings, Sources sources, Sinks sinks,
            Database database) throws Exception {
        Registry registry = context.getRegistry();
        RequestBounds bounds = RequestBounds.of(settings, AccountBudgets.accounts(sources, sinks));
        LmsSyncConfiguration.closeOnStop(context, bounds::close);
        registry.bind("requestBounds", bounds);
        SyncWindows syncWindows = new SyncWindows(database.pool(), settings, new DatabaseClock(database.pool()));
        registry.bind("syncWindows", syncWindows);
        registry.bind("asReceived", asReceived(bounds));
        RateBudgets budgets = AccountBudgets.of(settings, sources, sinks, database.pool(), bounds);
        registry.bind("rateBudgets", budgets);
        registry.bind("rateLimited", (Processor) budgets::refused);
        SourceRuns sourceRuns = new SourceRuns(sources, context);
        registry.bind("sourceRuns", sourceRuns);
        registry.bind("ownExchange", new OwnExchange(context));
        LmsSyncConfiguration.closeOnStop(context, sourceRuns::close);
        return new VendorCalls(bounds, budgets, sourceRuns, syncWindows);
    }

    /** An answer taken as it came (Thrive's, which says what became of one completion), within its bounds. */
    private static Processor asReceived(RequestBounds bounds) {
        return exchange -> {
            Message message = exchange.getMessage();
            try (InputStream in = bounds.answer(exchange, message.getBody(InputStream.class))) {
                message.setBody(in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        };
    }
}
