package io.lmssync;

/**
 * The MOOCit benchmark with the sync state and the jdbc sink on a real PostgreSQL server (zonky's embedded binaries,
 * started here; test classpath only): {@code java -cp target/test-classes:target/classes:$(cat target/test.classpath)
 * io.lmssync.PostgresBenchmark 100000}.
 */
public final class PostgresBenchmark {

    private PostgresBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String records = args.length > 0 ? args[0] : "100000";
        MoocitBenchmark.main(new String[] {records, "sync.jdbc.url=" + TestPostgres.newDatabase(),
            "sync.jdbc.username=postgres", "sync.jdbc.password="});
    }
}
