package io.lmssync;

/** Every deletion test again, with the sync state and the jdbc sink on a real PostgreSQL server. */
class DeletionsOnPostgresTest extends DeletionsTest {

    @Override
    TestService database(TestService service) throws Exception {
        return service.onPostgres();
    }
}
