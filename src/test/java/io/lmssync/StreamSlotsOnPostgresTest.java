package io.lmssync;

/** Stream slots between two nodes on a real PostgreSQL server. */
class StreamSlotsOnPostgresTest extends StreamSlotsTest {

    private String url;

    @Override
    String jdbcUrl() throws Exception {
        if (url == null) {
            url = TestPostgres.newDatabase();
        }
        return url;
    }
}
