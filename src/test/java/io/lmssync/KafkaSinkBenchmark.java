package io.lmssync;


/**
 * The MOOCit benchmark with the kafka sink on, against a real broker from Kafka's test kit (test classpath only):
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.lmssync.KafkaSinkBenchmark
 * -Dexec.args=100000}.
 */
public final class KafkaSinkBenchmark {

    private KafkaSinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String records = args.length > 0 ? args[0] : "100000";
        try {
            MoocitBenchmark.main(new String[] {records, "sync.sinks=jdbc,kafka", "sync.kafka.brokers=" + TestKafka.brokers(),
                "sync.kafka.topic=benchmark"});
        } finally {
            TestKafka.close();
        }
    }
}
