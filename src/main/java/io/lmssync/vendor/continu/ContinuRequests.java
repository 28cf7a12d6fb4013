package io.lmssync.vendor.continu;

import io.lmssync.record.Json;
import io.lmssync.sync.SyncWindows.Window;
import io.lmssync.sync.SyncWindows;
import io.lmssync.vendor.VendorRequest;
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
    private final String reportingBase;
    private final Processor reportingAuth;
    private final String reportingBody;

    /**
     * @param reportingFields the fields the Reporting API is asked for; sub-objects ({@code content}, {@code user},
     *                        {@code assignment}) only when listed
     */
    public ContinuRequests(String openApiBase, Processor openApiAuth, ContinuRoster roster, String reportingBase,
            Processor reportingAuth, List<String> reportingFields, String rangeTarget) {
        this.openApiBase = strip(openApiBase);
        this.openApiAuth = openApiAuth;
        this.roster = roster;
        this.reportingBase = reportingBase == null ? null : strip(reportingBase);
        this.reportingAuth = reportingAuth;
        Map<String, Object> body = new LinkedHashMap<>();
        reportingFields.forEach(field -> body.put(field, true));
        body.put("range_target", rangeTarget);
        this.reportingBody = Json.write(body);
    }

    /** The roster in batches: one Open API request each. */
    public List<List<String>> rosterBatches() {
        return roster.batches();
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
