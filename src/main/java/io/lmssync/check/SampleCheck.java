package io.lmssync.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.LearningRecord;
import io.lmssync.source.Answer;
import io.lmssync.source.InvalidRecordException;
import io.lmssync.source.RawMirror;
import io.lmssync.source.Reads;
import io.lmssync.source.RecordMapper;
import io.lmssync.sync.SyncRun;
import io.lmssync.sync.SyncWindows.Window;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.Processor;

/**
 * What a stream's first records prove: they carry the ids and the fields its mapper reads, and each maps as a sync
 * would map it (what a sync would make a dead letter shows here first).
 */
final class SampleCheck {

    /** Records mapped and shown as evidence at most. */
    private static final int SAMPLE = 20;

    private final String stream;
    private final Processor mapper;
    private final SyncRun run;
    /** The settings a record without its ids points to. */
    private final String settings;
    private final List<Check> checks;

    SampleCheck(String stream, Processor mapper, SyncRun run, String settings, List<Check> checks) {
        this.stream = stream;
        this.mapper = mapper;
        this.run = run;
        this.settings = settings;
        this.checks = checks;
    }

    /** The first records: their ids and the mapper's fields present, and each mapped as a sync would. */
    List<LearningRecord> check(Answer answer, List<String> batch, Window window) {
        Reads reads = mapper instanceof RecordMapper m ? m.reads() : mapper instanceof RawMirror r ? r.reads()
                : Reads.NONE;
        List<JsonNode> sample = answer.head().subList(0, Math.min(SAMPLE, answer.head().size()));
        if (sample.isEmpty()) {
            checks.add(Check.warning(stream, "ids and fields", "no records" + (window == null ? "" : " from "
                    + window.start() + " to " + window.end()) + " to prove the ids (" + String.join(", ", reads.ids())
                    + ") and fields with; check again once the tenant holds some", ""));
            return List.of();
        }
        Set<String> noId = new LinkedHashSet<>();
        Set<String> absent = new LinkedHashSet<>(reads.fields());
        for (JsonNode object : sample) {
            reads.ids().stream().filter(f -> missing(object, f)).forEach(noId::add);
            absent.removeIf(f -> named(object, f));
        }
        String of = " (" + sample.size() + " record(s) read)";
        if (!noId.isEmpty()) {
            checks.add(Check.failed(stream, "ids and fields", "records without " + String.join(", ", noId) + of
                    + ": each would be a dead letter", settings));
        } else if (!absent.isEmpty()) {
            checks.add(Check.warning(stream, "ids and fields", "no record names " + String.join(", ", absent) + of
                    + ", which the mapper reads (renamed, or not asked for?)", settings));
        } else {
            checks.add(Check.ok(stream, "ids and fields", "every record has " + String.join(", ", reads.ids())
                    + (reads.fields().isEmpty() ? "" : "; fields read: " + String.join(", ", reads.fields())) + of));
        }
        return mapped(sample, batch);
    }

    /** The sample through the real mapper, as a sync maps it. */
    private List<LearningRecord> mapped(List<JsonNode> sample, List<String> batch) {
        if (!(mapper instanceof RecordMapper recordMapper)) {
            return List.of(); // a stream kept raw: its ids are all it reads
        }
        String partition = batch.size() == 1 ? batch.get(0) : null;
        List<LearningRecord> records = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (JsonNode object : sample) {
            try {
                records.add(recordMapper.mapOne(object, run, partition));
            } catch (InvalidRecordException | RuntimeException e) {
                reasons.add(io.lmssync.ops.Redaction.redact(e.getMessage()));
            }
        }
        if (records.isEmpty()) {
            checks.add(Check.failed(stream, "mapping", "none of " + sample.size() + " record(s) maps: "
                    + reasons.get(0), ""));
        } else if (!reasons.isEmpty()) {
            checks.add(Check.warning(stream, "mapping", reasons.size() + " of " + sample.size() + " record(s) would"
                    + " be dead letters, e.g. " + reasons.get(0), ""));
        } else {
            checks.add(Check.ok(stream, "mapping", sample.size() + " record(s) map, e.g. " + records.get(0).recordId()
                    .replaceAll("[^|:/]+@[^|:/]+", "<e-mail>")));
        }
        return records;
    }

    /** Whether a field (dotted for a nested one) is missing, null or blank in the object: an id must have a value. */
    private static boolean missing(JsonNode object, String field) {
        JsonNode node = at(object, field);
        return node == null || node.isNull() || node.isTextual() && node.asText().isBlank();
    }

    /** Whether the object names the field at all (null allowed: a field with no value yet is still that field). */
    private static boolean named(JsonNode object, String field) {
        return at(object, field) != null;
    }

    private static JsonNode at(JsonNode object, String field) {
        JsonNode node = object;
        for (String part : field.split("\\.")) {
            node = node == null || !node.isObject() ? null : node.get(part);
        }
        return node;
    }
}
