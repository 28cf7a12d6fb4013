package io.lmssync.sync;

import org.slf4j.MDC;

/**
 * The stream and run id in the logging MDC while a run goes on, so that every line it logs, whatever logger wrote it,
 * carries them ({@code "stream"} and {@code "run_id"} fields of the JSON logs): a log pipeline filters one run by them.
 * A run's routes execute on the thread that began it (splits are sequential), so the thread's MDC is enough.
 */
final class RunLogContext {

    static final String STREAM = "stream";
    static final String RUN_ID = "run_id";

    private RunLogContext() {
    }

    static void enter(SyncRun run) {
        MDC.put(STREAM, run.stream());
        MDC.put(RUN_ID, String.valueOf(run.id()));
    }

    static void leave() {
        MDC.remove(STREAM);
        MDC.remove(RUN_ID);
    }
}
