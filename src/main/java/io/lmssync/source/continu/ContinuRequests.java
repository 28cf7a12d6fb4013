package io.lmssync.source.continu;

import io.lmssync.record.Json;
import io.lmssync.sync.SyncWindows.Window;
import io.lmssync.sync.SyncWindows;
import io.lmssync.sync.Partitions;
import io.lmssync.sync.SyncRun;
import java.util.ArrayList;
import io.lmssync.source.VendorRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Continu's request plan within a window: for the Open API one GET a roster batch ({@code for_users}, {@code from},
 * {@code until} in Unix seconds); for the Reporting API one POST of the field selection for the whole window.
 */
public final class ContinuRequests {

    private final String openApiBase;
    private final Processor openApiAuth;
    private final ContinuRoster roster;
    private final int batchSize;
    private final String reportingBase;
    private final Processor reportingAuth;
    private final String reportingBody;

    /**
     * @param reportingFields the fields the Reporting API is asked for; sub-objects ({@code content}, {@code user},
     *                        {@code assignment}) only when listed
     */
    public ContinuRequests(String openApiBase, Processor openApiAuth, ContinuRoster roster, int batchSize,
            String reportingBase, Processor reportingAuth, List<String> reportingFields, String rangeTarget) {
        this.openApiBase = strip(openApiBase);
        this.openApiAuth = openApiAuth;
        this.roster = roster;
        this.batchSize = batchSize;
        this.reportingBase = reportingBase == null ? null : strip(reportingBase);
        this.reportingAuth = reportingAuth;
        Map<String, Object> body = new LinkedHashMap<>();
        reportingFields.forEach(field -> body.put(field, true));
        body.put("range_target", rangeTarget);
        this.reportingBody = Json.write(body);
    }

    /**
     * At the start of an Open API run: the roster, read once for the whole run, is what the run asks about; its
     * learners are the run's partitions (a reconciliation deletes only their records).
     */
    public void readRoster(Exchange exchange) {
        exchange.getProperty(SyncRun.PROPERTY, SyncRun.class).partitions(
                new Partitions(roster.emails(), record -> record.learner().email()));
    }

    /** The run's roster in batches of {@code continu.roster-batch-size}: one Open API request each. */
    public List<List<String>> rosterBatches(Exchange exchange) {
        List<String> emails = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class).partitions().keys();
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < emails.size(); i += batchSize) {
            batches.add(List.copyOf(emails.subList(i, Math.min(i + batchSize, emails.size()))));
        }
        return batches;
    }

    /** The Open API request for one roster batch (the body) of the current window. */
    public void openApi(Exchange exchange, String stream) {
        Window window = exchange.getProperty(SyncWindows.WINDOW, Window.class);
        @SuppressWarnings("unchecked")
        List<String> batch = exchange.getMessage().getBody(List.class);
        URI uri = URI.create(openApiBase + "/completion/" + stream + "?for_users="
                + URLEncoder.encode(String.join(",", batch), StandardCharsets.UTF_8)
                + "&from=" + window.fromEpochSecond() + "&until=" + window.untilEpochSecond());
        exchange.setProperty(VendorRequest.PROPERTY, new VendorRequest("GET", uri, null, openApiAuth));
    }

    /** The Reporting API request for the current window. */
    public void reporting(Exchange exchange) {
        Window window = exchange.getProperty(SyncWindows.WINDOW, Window.class);
        URI uri = URI.create(reportingBase + "/reports/content-completion/" + window.fromEpochSecond() + "/"
                + window.untilEpochSecond());
        exchange.setProperty(VendorRequest.PROPERTY, new VendorRequest("POST", uri, reportingBody, reportingAuth));
    }

    private static String strip(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
