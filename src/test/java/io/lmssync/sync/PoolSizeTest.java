package io.lmssync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmssync.source.Vendor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The database pool is sized for what may run at once: the runs of the schedules, and a cluster's Quartz. */
class PoolSizeTest {

    @Test
    void aClusterNodeHasAConnectionForEachQuartzWorkersRunTwiceOverForQuartzItselfAndForTheService() {
        // 4 workers run at most 4 of the 6 schedules: 8 for runs, 3 for Quartz's own threads, 2 for the service
        assertThat(PoolSize.needed(List.of(Vendor.CONTINU, Vendor.CONTINU_REPORTING, Vendor.ABSORB), true, 4))
                .isEqualTo(13);
    }

    @Test
    void aSingleNodeHasAConnectionForEachScheduleTwiceOver() {
        assertThat(PoolSize.needed(List.of(Vendor.MOOCIT, Vendor.CONTINU, Vendor.ABSORB), false, 0)).isEqualTo(12);
    }

    @Test
    void neverFewerThanFour() {
        assertThat(PoolSize.needed(List.of(Vendor.MOOCIT), false, 0)).isEqualTo(4);
    }
}
