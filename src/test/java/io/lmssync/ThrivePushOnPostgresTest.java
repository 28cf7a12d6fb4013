package io.lmssync;

/** Every Thrive push test again, with the push ledger and the pending completions on PostgreSQL. */
class ThrivePushOnPostgresTest extends ThrivePushTest {

    @Override
    TestService database(TestService service) throws Exception {
        return service.onPostgres();
    }
}
