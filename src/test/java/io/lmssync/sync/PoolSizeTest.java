package io.lmssync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmssync.source.absorb.AbsorbSource;
import io.lmssync.source.continu.ContinuReportingSource;
import io.lmssync.source.continu.ContinuSource;
import io.lmssync.source.moocit.MoocitSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The database pool is sized for what may run at once: the runs of the schedules, and a cluster's Quartz. */
class PoolSizeTest {

    @Test
    void aClusterNodeHasAConnectionForEachQuartzWorkersRunTwiceOverForQuartzItselfAndForTheService() {
        // 4 workers run at most 4 of the 6 schedules: 8 for runs, 3 for Quartz's own threads, 2 for the service
        assertThat(PoolSize.needed(List.of(new ContinuSource(), new ContinuReportingSource(), new AbsorbSource()), true, 4))
                .isEqualTo(13);
    }

    @Test
    void aSingleNodeHasAConnectionForEachScheduleTwiceOver() {
        assertThat(PoolSize.needed(List.of(new MoocitSource(), new ContinuSource(), new AbsorbSource()), false, 0)).isEqualTo(12);
    }

    @Test
    void neverFewerThanFour() {
        assertThat(PoolSize.needed(List.of(new MoocitSource()), false, 0)).isEqualTo(4);
    }
}
