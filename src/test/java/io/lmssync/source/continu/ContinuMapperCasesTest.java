package io.lmssync.source.continu;

import static io.lmssync.source.MapperCases.assertCase;
import static io.lmssync.source.MapperCases.run;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Continu's mappers as pure functions, without Camel: the demo's answers (a tenant's shape) and ugly objects in, the
 * expected records and rejections out (sources/continu/*.expected.json).
 */
class ContinuMapperCasesTest {

    @ParameterizedTest(name = "Open API {0}: {1}")
    @CsvSource({
        "assessment, demo/continu/assessments.json, sources/continu/assessments.expected.json",
        "assignment, demo/continu/assignments.json, sources/continu/assignments.expected.json",
        "track, demo/continu/tracks.json, sources/continu/tracks.expected.json",
        "assessment, sources/continu/assessments-ugly.json, sources/continu/assessments-ugly.expected.json"})
    void openApiCompletions(String kind, String objects, String expected) throws Exception {
        assertCase(new ContinuCompletionMapper(kind), run("continu", "continu-" + kind + "s", "api.continu.co"), null,
                objects, expected);
    }

    @ParameterizedTest(name = "Reporting API {0} by {1}: {2}")
    @CsvSource({
        "content_completion, completion_id, demo/continu/content-completion.json, "
                + "sources/continu/content-completion.expected.json",
        "assessment, assessment_id, demo/continu/assessment-status.json, "
                + "sources/continu/assessment-status.expected.json",
        "content_completion, completion_id, sources/continu/report-rows-ugly.json, "
                + "sources/continu/report-rows-ugly.expected.json"})
    void reportingApiRows(String recordType, String idField, String objects, String expected) throws Exception {
        assertCase(new ContinuReportMapper(recordType, List.of(idField)),
                run("continu-reporting", "continu-reporting-" + recordType, "api.continu.co"), null, objects,
                expected);
    }
}
