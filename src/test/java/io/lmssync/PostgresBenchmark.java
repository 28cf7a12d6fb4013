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
        // settings after N go on to the MOOCit benchmark (camel.management.port=9877, say)
        java.util.List<String> settings = new java.util.ArrayList<>(java.util.List.of(records,
                "sync.jdbc.url=" + TestPostgres.newDatabase(), "sync.jdbc.username=postgres", "sync.jdbc.password="));
        settings.addAll(java.util.Arrays.asList(args).subList(Math.min(1, args.length), args.length));
        MoocitBenchmark.main(settings.toArray(String[]::new));
    }
}
