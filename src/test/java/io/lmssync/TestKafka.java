package io.lmssync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.BrokerServer;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One real Kafka broker per test JVM, from Kafka's own KRaft test kit (one combined broker and controller), that a
 * test can stop and start again; and a plain consumer that reads a topic back from the beginning.
 */
final class TestKafka {

    private static KafkaClusterTestKit cluster;
    private static boolean hooked;

    private TestKafka() {
    }

    /** The broker's bootstrap address, starting the broker on first use. */
    static synchronized String brokers() throws Exception {
        if (cluster == null) {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                    .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            if (cluster == null && !hooked) {
                // whichever test class started it last, the broker's threads must not outlive the test JVM
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        close();
                    } catch (Exception e) {
                        // the JVM is going away anyway
                    }
                }, "test-kafka-shutdown"));
                hooked = true;
            }
            cluster = kit;
        }
        return cluster.bootstrapServers();
    }

    /** Shuts the broker and controller down (its threads would keep the test JVM from exiting). */
    static synchronized void close() throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /** Stops the broker (the controller stays up), as when Kafka goes down under a running producer. */
    static synchronized void stopBroker() {
        broker().shutdown();
        broker().awaitShutdown();
    }

    /** Starts the stopped broker again on its data; its address may change, so ask {@link #brokers()} again. */
    static synchronized void startBroker() throws Exception {
        broker().startup();
        cluster.waitForReadyBrokers();
    }

    private static BrokerServer broker() {
        return cluster.brokers().values().iterator().next();
    }

    /** Every message the topic holds, partition by partition, in order. */
    static List<ConsumerRecord<String, String>> readAll(String topic) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("read " + records.size() + " messages of " + topic + " of " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
