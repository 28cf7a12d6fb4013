package io.lmssync.source;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What a scan does when the source refuses a request with a status its account's gateway lets through
 * ({@code ok-status}): by default the stream fails, naming the settings that shape the request. A part can do better
 * where a refusal can be about the request's partitions rather than the request: split a batch of partitions down to
 * the refused ones and skip those ({@link #splitBatch}), or ask the source whether what the partition read is gone
 * (a {@link Probe}, such as Absorb's children of an enrollment deleted since).
 */
@FunctionalInterface
public interface WhenRefused {

    /** The reaction to the refusal of the request for {@code batch}. */
    Reaction react(Answer refused, List<String> batch);

    /** What a scan does next. */
    sealed interface Reaction permits Fail, Split, Skip, Gone, Probe {
    }

    /** The stream fails: the request is at fault (a path, a parameter, a body). */
    record Fail() implements Reaction {
    }

    /** The batch is read again in halves. */
    record Split() implements Reaction {
    }

    /** The one partition of the batch is left out of the run, said as {@code which} (never a learner's address). */
    record Skip(String which) implements Reaction {
    }

    /** What the partition read is gone at the source: no records, and the scan goes on. */
    record Gone() implements Reaction {
    }

    /** A request that tells whether what the partition read is gone. */
    non-sealed interface Probe extends Reaction {

        SourceRequest request();

        /** After the probe's answer: {@link Gone}, another probe, or an exception saying why the refusal stands. */
        Reaction judge(Answer answer);
    }

    /** Every refusal fails the stream. */
    static WhenRefused fail() {
        return (refused, batch) -> new Fail();
    }

    /**
     * A refusal with one of {@code statuses} of a batch of several partitions reads it again in halves; of one
     * partition, leaves it out, said as {@code describe} names it. A scan fails when every partition of a batch of
     * several was refused: then the request, not its partitions, is at fault.
     */
    static WhenRefused splitBatch(Set<Integer> statuses, Function<String, String> describe) {
        return (refused, batch) -> !statuses.contains(refused.status()) ? new Fail()
                : batch.size() > 1 ? new Split() : new Skip(describe.apply(batch.get(0)));
    }
}
