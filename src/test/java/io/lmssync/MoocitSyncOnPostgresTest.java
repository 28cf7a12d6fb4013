package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmssync.sync.RunOnce;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every MOOCit end-to-end test again, with the sync state and the jdbc sink on a real PostgreSQL server. */
class MoocitSyncOnPostgresTest extends MoocitSyncTest {

    @Override
    TestService database(TestService service) throws Exception {
        return service.onPostgres();
    }

    @Test
    void theRawVendorObjectIsJsonbThatSqlCanReadInto() throws Exception {
        answers(answer("ana,course-v1:A,0.80"));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.query("SELECT pg_typeof(raw)::text AS type, raw->>'completion' AS completion, "
                + "raw->>'username' AS username FROM learning_record"))
                .containsExactly(Map.of("type", "jsonb", "completion", "0.80", "username", "ana"));
    }
}
