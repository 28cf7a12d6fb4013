package io.lmssync.check;

import io.lmssync.ops.Redaction;
import io.lmssync.sink.xapi.XapiSink;
import io.lmssync.sink.xapi.XapiSink.Probe;
import java.util.List;

/**
 * The xapi sink's first contact, without sending a statement: the LRS's {@code <endpoint>/about} must name an xAPI
 * 1.0.x version, and a GET of one statement must take the key and secret.
 */
final class XapiCheck {

    static final String STREAM = "xapi";
    private static final String CREDENTIALS = "sync.xapi.username, sync.xapi.password (SYNC_XAPI_PASSWORD)";

    private XapiCheck() {
    }

    static void run(XapiSink sink, List<Check> checks) {
        Probe probe;
        try {
            probe = sink.probe();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // a stop asked for: the check ends unfinished, and so does the stop
            checks.add(Check.failed(STREAM, "answer", "the check was interrupted", "sync.xapi.endpoint"));
            return;
        } catch (RuntimeException e) {
            checks.add(Check.failed(STREAM, "answer", "the check could not finish: "
                    + Redaction.redact(String.valueOf(e.getMessage())), "sync.xapi.endpoint"));
            return;
        }
        String about = "GET " + sink.endpoint() + "about answered HTTP " + probe.aboutStatus();
        if (probe.aboutStatus() != 200) {
            checks.add(Check.failed(STREAM, "path", about + ": not an LRS's xAPI base", "sync.xapi.endpoint"));
        } else if (probe.versions().stream().noneMatch(v -> v.startsWith("1.0."))) {
            checks.add(Check.failed(STREAM, "version", about + " naming versions " + probe.versions()
                    + ": lms-sync speaks xAPI 1.0.x", "sync.xapi.endpoint"));
        } else {
            checks.add(Check.ok(STREAM, "version", about + ": it speaks xAPI " + probe.versions()));
        }
        String statements = "GET " + sink.endpoint() + "statements?limit=1 answered HTTP " + probe.statementsStatus();
        switch (probe.statementsStatus()) {
            case 200 -> checks.add(Check.ok(STREAM, "authentication", statements + ": the key and secret are taken"));
            case 401, 403 -> checks.add(Check.failed(STREAM, "authentication", statements + ": "
                    + probe.refusal(), CREDENTIALS));
            default -> checks.add(Check.failed(STREAM, "answer", statements + ": " + probe.refusal()
                    + " (check again later)", ""));
        }
    }
}
