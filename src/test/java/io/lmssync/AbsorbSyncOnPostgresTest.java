package io.lmssync;

/** Every Absorb end-to-end test again (windows, cursor, ledger), with the state and the jdbc sink on PostgreSQL. */
class AbsorbSyncOnPostgresTest extends AbsorbSyncTest {

    @Override
    TestService database(TestService service) throws Exception {
        return service.onPostgres();
    }
}
