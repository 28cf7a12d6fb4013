package io.lmssync.sink.xapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.lmssync.LmsSync;
import io.lmssync.TestService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xapi sink's ledger holds a record of any id a vendor sends, as every bookkeeping column does (issue 25): a
 * 600-character id and one with a NUL are stored and found again under the id the sink knows, on the real schema.
 */
class StatementLedgerTest {

    @TempDir
    Path dir;

    @Test
    void aRecordIdLongerThanTheColumnOrHoldingANulIsStoredAndFoundAgain() throws Exception {
        TestService service = new TestService(dir);
        try (LmsSync migrated = service.service(true).start()) {
            // Flyway made the tables
        }
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(service.settings.get("sync.jdbc.url"));
            dataSource.setUsername(service.settings.get("sync.jdbc.username"));
            StatementLedger ledger = new StatementLedger(dataSource);
            String longId = "moocit:course_completion:" + "x".repeat(600);
            String nulId = "moocit:course_completion:learner\u0000one";
            UUID first = UUID.randomUUID();
            UUID second = UUID.randomUUID();
            ledger.took(List.of(new StatementLedger.Sent(first, longId, "completed", false),
                    new StatementLedger.Sent(second, nulId, "completed", false)), Map.of());
            ledger.took(List.of(), Map.of(first, UUID.randomUUID()));

            Map<String, List<StatementLedger.Sent>> held = ledger.of(List.of(longId, nulId, "moocit:other"));
            assertThat(held).containsOnlyKeys(longId, nulId);
            assertThat(held.get(longId)).containsExactly(new StatementLedger.Sent(first, longId, "completed", true));
            assertThat(held.get(nulId)).containsExactly(new StatementLedger.Sent(second, nulId, "completed", false));
        }
    }
}
