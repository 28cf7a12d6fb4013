package io.lmssync;

/** Every xapi sink test again, with the sync state, the statement ledger and the jdbc sink on a real PostgreSQL. */
class XapiSinkOnPostgresTest extends XapiSinkTest {

    @Override
    TestService database(TestService service) throws Exception {
        return service.onPostgres();
    }
}
