package io.lmssync.source;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * The routes of the declared streams ({@link Stream}), made from the templates of
 * {@code routes/stream-templates.camel.yaml}, so that a stream is declared in one place: for each enabled source its
 * schedules (a sync on {@code <source>.cron} of the streams without a cron of their own; for a windowed source a
 * reconciliation of all of them on {@code <source>.reconcile-cron}), for each stream with a cron of its own its
 * schedule, for each stream its route (route id = stream id; its request plan and mapper bound as
 * {@link Stream#requestsBean} and {@link Stream#mapperBean}), and for each account its gateway
 * ({@code direct:<account>-call}).
 */
public final class SourceRoutes extends RouteBuilder {

    private final Sources sources;
    private final Settings settings;

    public SourceRoutes(Sources sources, Settings settings) {
        this.sources = sources;
        this.settings = settings;
    }

    @Override
    public void configure() {
        Set<String> accounts = new LinkedHashSet<>();
        for (Source source : sources.enabled()) {
            List<Stream> streams = sources.declared(source.key());
            List<String> onSourceCron = streams.stream().filter(s -> s.cron() == null).map(Stream::id).toList();
            if (!onSourceCron.isEmpty()) {
                schedule(source.key(), settings.text(source.key() + ".cron"), onSourceCron, "sync");
            }
            if (source.windowed() && !streams.isEmpty()) {
                // a reconciliation pulls each stream whole: a child stream reads every partition handed to it
                schedule(streams.get(0).reconcileJob(), settings.text(source.key() + ".reconcile-cron"),
                        streams.stream().map(Stream::id).toList(), "reconcile");
            }
            for (Stream stream : streams) {
                if (stream.cron() != null) {
                    schedule(stream.syncJob(), stream.cron(), List.of(stream.id()), "sync");
                }
                stream(stream, source.account());
            }
            if (!streams.isEmpty()) {
                accounts.add(source.account());
            }
        }
        for (String account : accounts) {
            templatedRoute("gateway").routeId(account + "-call").parameter("account", account);
        }
    }

    private void schedule(String job, String cron, List<String> streams, String mode) {
        templatedRoute("schedule").routeId(job + "-poll")
                .parameter("job", job)
                .parameter("cron", cron)
                .parameter("streams", String.join(",", streams))
                .parameter("mode", mode);
    }

    private void stream(Stream stream, String account) {
        CamelContext context = getContext();
        context.getRegistry().bind(stream.requestsBean(), stream.requests());
        context.getRegistry().bind(stream.mapperBean(), stream.mapper());
        templatedRoute("stream").routeId(stream.id())
                .parameter("stream", stream.id())
                .parameter("account", account)
                .parameter("requests", stream.requestsBean())
                .parameter("mapper", stream.mapperBean());
    }

    /** Every declared stream has its route: a route template missing from the route files is named. */
    public static void check(CamelContext context, Sources sources) {
        for (Source source : sources.enabled()) {
            for (String stream : sources.streams(source.key())) {
                if (context.getRoute(stream) == null) {
                    throw new ConfigurationException("the stream " + stream + " has no route: the route template "
                            + "'stream' of routes/stream-templates.camel.yaml (camel.main.routes-include-pattern) "
                            + "must make it");
                }
            }
        }
    }
}
