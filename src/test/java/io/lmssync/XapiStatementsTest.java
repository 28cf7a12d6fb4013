package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.record.Content;
import io.lmssync.record.Learner;
import io.lmssync.record.LearningRecord;
import io.lmssync.sink.xapi.StatementSchema;
import io.lmssync.sink.xapi.XapiStatements;
import io.lmssync.sink.xapi.XapiStatements.Actor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The statements of each kind of record, checked by lms-sync's statement schema and, independently, by
 * xapi-validation (Learning Locker's validator, run by Node).
 */
class XapiStatementsTest {

    private static final Instant FETCHED = Instant.parse("2026-03-01T00:00:00Z");
    private final XapiStatements byAccount = new XapiStatements(Actor.ACCOUNT, null, true,
            "https://lrs.example.com/xAPI");
    private final XapiStatements byMbox = new XapiStatements(Actor.MBOX, "https://learn.example.com/", false,
            "https://lrs.example.com/xAPI");
    private final StatementSchema schema = new StatementSchema();

    private static LearningRecord.Builder record(String status) {
        return LearningRecord.builder("absorb", "course_enrollment", "e-1").sourceTenant("acme.myabsorb.com")
                .learner(new Learner("u-7", "Ana@Example.com", "ana", "Ana A", null, null, null))
                .content(new Content("c/42", "Safety 101", "course", null)).status(status);
    }

    private ObjectNode statement(XapiStatements statements, LearningRecord record) {
        String state = statements.state(record);
        return statements.statement(record, state, XapiStatements.id(record.recordId(), state, 0));
    }

    @Test
    void eachKindOfRecordBecomesAStatementBothValidatorsTake() {
        List<JsonNode> all = new ArrayList<>();
        ObjectNode passed = statement(byAccount, record("passed").scorePercent(80.0).timeSpentSeconds(3600L)
                .completedAt("2026-02-03T10:00:00Z").build(FETCHED));
        assertThat(passed.at("/verb/id").asText()).isEqualTo("http://adlnet.gov/expapi/verbs/passed");
        assertThat(passed.at("/actor/account/homePage").asText()).isEqualTo("https://acme.myabsorb.com");
        assertThat(passed.at("/actor/account/name").asText()).isEqualTo("u-7");
        assertThat(passed.at("/object/id").asText())
                .isEqualTo("https://acme.myabsorb.com/xapi/activities/absorb/c%2F42");
        assertThat(passed.at("/object/definition/type").asText())
                .isEqualTo("http://adlnet.gov/expapi/activities/course");
        assertThat(passed.at("/result/score/scaled").asDouble()).isEqualTo(0.8);
        assertThat(passed.at("/result/success").asBoolean()).isTrue();
        assertThat(passed.at("/result/duration").asText()).isEqualTo("PT3600S");
        assertThat(passed.at("/timestamp").asText()).isEqualTo("2026-02-03T10:00:00Z");
        assertThat(passed.at("/context/extensions").get(XapiStatements.RECORD_ID).asText())
                .isEqualTo("absorb:course_enrollment:e-1");
        all.add(passed);
        ObjectNode failed = statement(byAccount, record("failed").scorePercent(40.0).build(FETCHED));
        assertThat(failed.at("/result/success").asBoolean()).isFalse();
        all.add(failed);
        ObjectNode progressed = statement(byAccount, record("in_progress").progress(0.5)
                .sourceUpdatedAt("2026-02-01T09:00:00Z").build(FETCHED));
        assertThat(progressed.at("/verb/id").asText()).endsWith("/progressed");
        assertThat(progressed.at("/result/extensions").elements().next().asInt()).isEqualTo(50);
        all.add(progressed);
        ObjectNode mbox = statement(byMbox, record("completed").build(FETCHED));
        assertThat(mbox.at("/actor/mbox").asText()).isEqualTo("mailto:ana@example.com");
        assertThat(mbox.at("/actor/account").isMissingNode()).isTrue();
        assertThat(mbox.at("/object/id").asText()).startsWith("https://learn.example.com/xapi/activities/absorb/");
        all.add(mbox);
        all.add(byAccount.voiding("absorb:course_enrollment:e-1", UUID.fromString(passed.get("id").asText())));

        assertThat(all).allSatisfy(s -> assertThat(schema.problems(s)).as(s.toString()).isEmpty());
        assertThat(TestLrs.independentProblems(all)).isEmpty();
    }

    @Test
    void recordsWithNothingToStateHaveNoState() {
        assertThat(byMbox.state(record("in_progress").progress(0.5).build(FETCHED))).isNull();
        assertThat(byAccount.state(record("completed").deleted(true).build(FETCHED))).isNull();
        assertThat(byAccount.state(record("not_started").build(FETCHED))).isNull();
    }

    @Test
    void aLearnerWithoutAnEmailCannotBeAnMboxActorAndBothValidatorsSaySo() {
        ObjectNode statement = statement(byMbox, record("completed")
                .learner(new Learner("u-7", null, "ana", null, null, null, null)).build(FETCHED));

        assertThat(schema.problems(statement)).isPresent();
        assertThat(TestLrs.independentProblems(List.of(statement))).contains("actor");
    }

    @Test
    void theIdIsAVersion5UuidOfTheRecordAndItsStateAndAReturnAfterAVoidingIsANewOne() {
        UUID completed = XapiStatements.id("moocit:course_completion:a|c", "completed", 0);
        assertThat(completed.version()).isEqualTo(5);
        assertThat(XapiStatements.id("moocit:course_completion:a|c", "completed", 0)).isEqualTo(completed);
        assertThat(XapiStatements.id("moocit:course_completion:a|c", "passed", 0)).isNotEqualTo(completed);
        assertThat(XapiStatements.id("moocit:course_completion:a|c", "completed", 1)).isNotEqualTo(completed);
        assertThat(XapiStatements.voidingId(completed)).isNotEqualTo(completed);
    }
}
