package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source packaged outside the bundled settings brings its block as {@code <key>.properties} beside its class (the
 * test-only analytics source here): its values are defaults that the operator's settings file overrides, read in
 * the order lms-sync gives Camel's properties component.
 */
class SourceSettingsFileTest {

    @TempDir
    Path dir;

    @Test
    void aSourcesOwnFileGivesItsDefaultsAndTheSettingsFileWins() throws Exception {
        Path file = Files.writeString(dir.resolve("application.properties"), "analytics.page-size = 7\n");
        String locations = KnownSettings.locations(file);
        assertThat(locations).contains("classpath:io/lmssync/source/analytics/analytics.properties");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PropertiesComponent properties = context.getPropertiesComponent();
            properties.setLocation(locations);
            context.start();
            assertThat(properties.resolveProperty("analytics.window")).as("the source's own default").hasValue("P30D");
            assertThat(properties.resolveProperty("analytics.page-size")).as("the operator's file wins").hasValue("7");
        }
    }
}
