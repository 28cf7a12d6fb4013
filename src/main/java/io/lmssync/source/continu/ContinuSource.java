package io.lmssync.source.continu;

import io.lmssync.Settings;
import io.lmssync.source.ClientCredentialsToken;
import io.lmssync.source.Demo;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.Partitioning;
import io.lmssync.source.WhenRefused;
import io.lmssync.source.WindowPlacement;
import io.lmssync.source.Source;
import io.lmssync.source.SourceContext;
import io.lmssync.source.Stream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Continu's Open API v1: {@code GET /completion/<what>} for a batch of the roster's learners ({@code for_users}) and a
 * window in Unix seconds ({@code from}, {@code until}), a bare array each, with an OAuth2 client-credentials token
 * (a JSON body; {@code expires_in} an absolute Unix time). One stream for each of assessments, assignments, tracks and
 * workshops. The roster is read at the start of every run; its learners are the runs' partitions, so a
 * reconciliation deletes only their records. The Reporting API ({@link ContinuReportingSource}) spends the same
 * account: one gateway, one budget.
 */
public final class ContinuSource implements Source {

    /** The window's bounds, in Unix seconds: {@code from=...&until=...}. */
    private static final WindowPlacement WINDOW = WindowPlacement.unixSecondsParams("from", "until");

    private static final Description DESCRIPTION = new Description("continu", "Continu", "continu", true,
            List.of("continu.client-id", "continu.client-secret"), Set.of("continu.client-id"));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    /** {@code continu-assessments}, {@code -assignments}, {@code -tracks}, {@code -workshops}: one request set each. */
    @Override
    public List<Stream> streams(SourceContext context) {
        Settings settings = context.settings();
        ClientCredentialsToken token = context.token(new ClientCredentialsToken(settings.url("continu.token-url"),
                ClientCredentialsToken.Body.JSON, context.credential("continu.client-id"),
                context.credential("continu.client-secret"), null, context.rejected(),
                settings.duration("continu.token-renew-before"), context.clock(), context.connectTimeout()));
        ContinuRoster roster = new ContinuRoster(Path.of(settings.text("continu.roster-file")));
        roster.emails(); // readable and holds someone: checked at start-up, and again at every run
        Partitioning learners = Partitioning.queryList(exchange -> roster.emails(),
                record -> record.learner().email(), "for_users", settings.positiveInt("continu.roster-batch-size"));
        // Continu answers 400 or 404 for a batch its page leaves unexplained: a learner it does not know is the
        // likely one, so the batch is read again in halves down to the refused learners, who are left out of the
        // run (named by their roster line); a batch refused learner by learner fails the stream
        WhenRefused refused = WhenRefused.splitBatch(Set.of(400, 404), roster::describe);
        return List.of("assessments", "assignments", "tracks", "workshops").stream()
                .map(what -> stream(context, token, learners, refused, what)).toList();
    }

    /** The completions of one kind: {@code GET /completion/<what>}. */
    private Stream stream(SourceContext context, ClientCredentialsToken token, Partitioning learners,
            WhenRefused refused, String what) {
        ContinuCompletionMapper completions = new ContinuCompletionMapper(what.substring(0, what.length() - 1));
        return context.stream(what, RequestPlan.of(key(), "GET", context.baseUrl(), "/completion/" + what, token)
                .partitions(learners)
                .window(WINDOW)
                .whenRefused(refused)
                .keyedBy(completions.reads().ids())
                .settings("continu.base-url", "continu.roster-file")
                .build(), completions);
    }

    @Override
    public Demo demo() {
        return new Demo(List.of(
                Demo.Answer.body("/v3/oauth2/access-token", null,
                        "{\"access_token\": \"demo-continu-token\", \"token_type\": \"bearer\", \"expires_in\": 3600}"),
                Demo.Answer.file("/v1/completion/", "Bearer demo-continu-token", "demo/continu/*.json")
                        .windowed(WINDOW).header("X-REQUESTS-PER-MINUTE", "1")),
                base -> Map.of(
                        "continu.base-url", base + "/v1",
                        "continu.token-url", base + "/v3/oauth2/access-token",
                        "continu.client-id", "demo-client",
                        "continu.client-secret", "demo-secret",
                        "continu.roster-file", demoRoster().toString()));
    }

    /** The demo's roster, copied out of the jar for the run. */
    private static Path demoRoster() {
        try (InputStream in = ContinuSource.class.getClassLoader().getResourceAsStream("demo/continu/roster.csv")) {
            Path roster = Files.createTempFile("lms-sync-demo-roster", ".csv");
            roster.toFile().deleteOnExit();
            Files.copy(in, roster, StandardCopyOption.REPLACE_EXISTING);
            return roster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
