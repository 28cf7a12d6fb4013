package io.lmssync;

/** {@link AbsorbChildStreamsTest} with the sync state (follow_up among it) and the jdbc sink on a real PostgreSQL. */
class AbsorbChildStreamsOnPostgresTest extends AbsorbChildStreamsTest {

    @Override
    TestService database(TestService service) throws Exception {
        return service.onPostgres();
    }
}
