package io.lmssync;

/** Every retention test again, with the sync state on a real PostgreSQL server. */
class RetentionOnPostgresTest extends RetentionTest {

    @Override
    TestService database(TestService service) throws Exception {
        return service.onPostgres();
    }
}
