package io.lmssync.check;

import io.lmssync.sink.thrive.ThrivePush;
import io.lmssync.source.Answer;
import io.lmssync.sync.SyncRun;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The Thrive push's first contact, without creating a completion: one POST Thrive must refuse as invalid (a user and
 * content that do not exist, a completion time that is not a time). Its 422 proves the path and the credentials (and
 * their scope); a word of its message naming one of our body's fields proves Thrive reads that name. Anything it
 * accepts is a loud failure: it does not read the body as lms-sync writes it.
 */
final class ThriveCheck {

    static final String STREAM = "thrive";
    private static final String CREDENTIALS = "thrive.tenant-id, thrive.client-id with thrive.client-secret "
            + "(THRIVE_CLIENT_SECRET), or thrive.api-secret (THRIVE_API_SECRET)";

    private ThriveCheck() {
    }

    static void run(ThrivePush push, SyncRun run, SourceCalls calls, List<Check> checks) throws Exception {
        String unknown = "lms-sync-check-" + UUID.randomUUID();
        String body = push.body(unknown, unknown, "not-a-time");
        Answer answer = calls.call(run, push.request(body));
        String said = "POST " + push.request(body).uri().getRawPath() + " of an invalid completion answered HTTP "
                + answer.status() + ": " + answer.refusal();
        switch (answer.status()) {
            case 401 -> checks.add(Check.failed(STREAM, "authentication", said, CREDENTIALS));
            case 403 -> checks.add(Check.failed(STREAM, "authentication", said + " (the token's scope does not allow"
                    + " writing completions)", "thrive.scope"));
            case 404, 405 -> checks.add(Check.failed(STREAM, "path", said, "thrive.completions-path"));
            case 422, 400 -> {
                checks.add(Check.ok(STREAM, "authentication", said + ": the credentials are taken"));
                checks.add(Check.ok(STREAM, "path", said + ": Thrive refused it as invalid, as it must"));
                fields(push, answer, checks);
            }
            default -> checks.add(answer.ok()
                    ? Check.failed(STREAM, "request body", said + ": Thrive took a completion of a user and content "
                            + "that do not exist at a time that is not a time, so it does not read the body's names",
                            "thrive.fields")
                    : Check.failed(STREAM, "answer", said + " (Thrive failed: check again later)", ""));
        }
    }

    /** Which of our body's names Thrive's refusal speaks of. */
    private static void fields(ThrivePush push, Answer answer, List<Check> checks) {
        String message = answer.refusal() == null ? "" : answer.refusal().toLowerCase(Locale.ROOT);
        List<String> named = push.fields().stream().filter(f -> message.contains(f.toLowerCase(Locale.ROOT))).toList();
        if (named.isEmpty()) {
            checks.add(Check.warning(STREAM, "request body", "Thrive's refusal names none of " + push.fields()
                    + ": that it reads these names is not proven", "thrive.fields"));
        } else {
            checks.add(Check.ok(STREAM, "request body", "Thrive's refusal speaks of " + String.join(", ", named)
                    + ": it reads the body's names " + push.fields()));
        }
    }
}
