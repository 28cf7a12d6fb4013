package io.lmssync;

/** The jdbc sink's newer-wins MERGE on a real PostgreSQL server. */
class JdbcSinkNewerWinsOnPostgresTest extends JdbcSinkNewerWinsTest {

    @Override
    TestService database(TestService service) throws Exception {
        return service.onPostgres();
    }
}
