package io.lmssync.check;

import io.lmssync.source.RequestPlan;
import org.apache.camel.Processor;

/** The parts a stream runs with, as its source declared them: a check uses exactly what a sync uses. */
record StreamParts(RequestPlan plan, Processor mapper) {
}
