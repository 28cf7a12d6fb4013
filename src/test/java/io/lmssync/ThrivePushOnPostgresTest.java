package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.lmssync.sync.RunOnce;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/** Every Thrive push test again, with the push ledger and the pending completions on PostgreSQL. */
class ThrivePushOnPostgresTest extends ThrivePushTest {

    @Override
    TestService database(TestService service) throws Exception {
        return service.onPostgres();
    }

    /** PostgreSQL takes at most 65,535 parameters in a statement (H2 has no such limit). */
    @Test
    void moreWaitingCompletionsThanAStatementTakesParametersAreReadInPages() throws Exception {
        // a backfill before the content map exists
        int learners = 70_000;
        StringJoiner answer = new StringJoiner(",", "[", "]");
        for (int i = 0; i < learners; i++) {
            answer.add("{\"username\":\"u" + i + "\",\"course_id\":\"course-v1:Z\",\"completion\":\"1\"}");
        }
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(answer.toString())));
        service().with("sync.chunk-size", "1000").with("sync.sinks", "thrive");
        assertThat(service().runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service().count("SELECT COUNT(*) FROM push_pending")).isEqualTo(learners);

        assertThat(service().runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service().count("SELECT COUNT(*) FROM push_pending WHERE attempts = 2"))
                .as("every one tried again").isEqualTo(learners);
    }
}
