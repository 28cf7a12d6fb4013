package io.lmssync.ops;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback's pattern layout, with every secret lms-sync holds masked out of the finished line and its stack trace. */
public final class MaskingPatternLayout extends PatternLayout {

    @Override
    public String doLayout(ILoggingEvent event) {
        return Secrets.mask(super.doLayout(event));
    }
}
