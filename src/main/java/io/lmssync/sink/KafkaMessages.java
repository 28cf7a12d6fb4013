package io.lmssync.sink;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.sync.Chunk;
import io.lmssync.sync.RawArchive;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * The kafka sink's messages for a chunk, sent as one batch by {@code direct:deliver-kafka}: key {@code record_id},
 * value the canonical JSON, headers {@code source}, {@code record_type} and {@code schema_version}. A deleted record is
 * published as itself ({@code is_deleted: true}) and then as a tombstone (null value) with the same key, so a
 * compacted topic forgets it while a plain consumer still sees the deletion.
 */
public final class KafkaMessages {

    private final String topic;
    private final boolean topicPerRecordType;
    /** Where the vendor's objects are mirrored as received; none when empty. */
    private final String rawTopic;

    public KafkaMessages(Settings settings) {
        settings.text("sync.kafka.brokers");
        this.topic = settings.text("sync.kafka.topic");
        this.topicPerRecordType = settings.flag("sync.kafka.topic-per-record-type");
        this.rawTopic = settings.optional("sync.kafka.raw-topic").orElse("");
        int delivery = settings.positiveInt("sync.kafka.delivery-timeout-ms");
        int request = settings.positiveInt("sync.kafka.request-timeout-ms");
        if (delivery < request) {
            // Kafka's producer refuses this at its first send; say so at start-up instead
            throw new ConfigurationException("sync.kafka.delivery-timeout-ms (" + delivery
                    + ") must be at least sync.kafka.request-timeout-ms (" + request + ")");
        }
    }

    /** The topic a record goes to: sync.kafka.topic, or {@code <topic>.<record_type>} with one topic per type. */
    public String topic(LearningRecord record) {
        return topicPerRecordType ? topic + "." + record.recordType() : topic;
    }

    /** The chunk's messages, or null when there are none. */
    public List<Message> of(Exchange exchange) {
        Chunk chunk = exchange.getIn().getBody(Chunk.class);
        List<RawArchive.Change> raws = rawTopic.isEmpty() ? List.of() : chunk.rawChanges();
        if (chunk.toDeliver().isEmpty() && raws.isEmpty()) {
            return null;
        }
        List<Message> messages = new ArrayList<>(chunk.toDeliver().size() + raws.size());
        for (LearningRecord record : chunk.toDeliver()) {
            messages.add(message(exchange.getContext(), record, Json.write(record)));
            if (record.isDeleted()) {
                messages.add(message(exchange.getContext(), record, null));
            }
        }
        // the raw mirror: key <stream>:<id>, the object as received; a deleted object a null value
        for (RawArchive.Change raw : raws) {
            Message message = new DefaultMessage(exchange.getContext());
            message.setHeader(KafkaConstants.KEY, chunk.run().stream() + ":" + raw.id());
            message.setHeader(KafkaConstants.OVERRIDE_TOPIC, rawTopic);
            message.setHeader("stream", chunk.run().stream());
            message.setBody(raw.deleted() ? null : raw.text());
            messages.add(message);
        }
        return messages;
    }

    private Message message(CamelContext context, LearningRecord record, String value) {
        Message message = new DefaultMessage(context);
        message.setHeader(KafkaConstants.KEY, record.recordId());
        message.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic(record));
        message.setHeader("source", record.source());
        message.setHeader("record_type", record.recordType());
        message.setHeader("schema_version", String.valueOf(record.schemaVersion()));
        message.setBody(value);
        return message;
    }
}
