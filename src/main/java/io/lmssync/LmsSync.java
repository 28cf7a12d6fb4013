package io.lmssync;

import io.lmssync.check.CheckReport;
import io.lmssync.check.FirstContact;
import io.lmssync.sink.Sinks;
import io.lmssync.sync.RunOnce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The service: Camel Main with lms-sync's settings, beans and YAML routes. {@code java -jar} and the tests start it
 * the same way; only the overrides differ.
 */
public final class LmsSync implements AutoCloseable {

    private final Main main;

    /**
     * @param propertiesFile the application.properties to load (environment variables override its keys)
     * @param overrides      settings that win over the file and the environment (command line, demo, tests)
     */
    public LmsSync(Path propertiesFile, Map<String, String> overrides) {
        if (!Files.isRegularFile(propertiesFile)) {
            throw new ConfigurationException("no settings file at " + propertiesFile.toAbsolutePath()
                    + ": run from the folder that holds application.properties, or name it with --properties=FILE");
        }
        SecretSettings.registerEarly(propertiesFile, overrides);
        // a mistyped key stops the start before anything is touched, rather than be silently ignored
        KnownSettings known = KnownSettings.load();
        known.check(SecretSettings.keysOf(propertiesFile), propertiesFile.toString());
        known.check(overrides.keySet(), "on the command line");
        known.warnAboutEnvironment(System.getenv());
        main = new Main();
        main.setPropertyPlaceholderLocations(KnownSettings.locations(propertiesFile));
        main.configure().addConfiguration(LmsSyncConfiguration.class);
        overrides.forEach(main::addOverrideProperty);
    }

    /** Starts the service: settings checked, database migrated, routes loaded and started. */
    public LmsSync start() throws Exception {
        main.start();
        return this;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public boolean runOnceMode() {
        return new Settings(context().getPropertiesComponent()).flag("sync.run-once");
    }

    /** One pass of every enabled vendor; the exit code says how it went ({@link RunOnce}). */
    public int runOnce() {
        return RunOnce.run(context(), false, destinations());
    }

    /** One reconciliation pass of every enabled stream that has one (a snapshot stream syncs as usual). */
    public int reconcileOnce() {
        return RunOnce.run(context(), true, destinations());
    }

    /** Applies the held deletions of the named streams. */
    public int applyHeld(java.util.List<String> streams) {
        return RunOnce.applyHeld(context(), streams, destinations());
    }

    /** Re-maps the named streams' raw archives and dead letters, with no request to a source. */
    public int replay(java.util.List<String> streams) {
        return RunOnce.replay(context(), streams, destinations());
    }

    /** The first-contact check of the named streams (none: every enabled stream, and Thrive when it is a sink). */
    public CheckReport check(java.util.List<String> streams) throws Exception {
        return context().getRegistry().lookupByNameAndType("firstContact", FirstContact.class).check(streams);
    }

    /** Where the sinks put records, fit for the console: the database URL without its parameters, the file folder. */
    java.util.List<String> destinations() {
        Settings settings = new Settings(context().getPropertiesComponent());
        Sinks sinks = new Sinks(settings);
        java.util.List<String> where = new java.util.ArrayList<>();
        if (sinks.has("jdbc")) {
            where.add("database " + JdbcUrl.shown(settings.text("sync.jdbc.url")));
        }
        if (sinks.has("kafka")) {
            String topic = settings.text("sync.kafka.topic");
            where.add(settings.optional("sync.kafka.topic-per-record-type").orElse("false").equals("true")
                    ? "kafka topics " + topic + ".<record_type>" : "kafka topic " + topic);
        }
        if (sinks.has("thrive")) {
            where.add("thrive " + settings.text("thrive.base-url"));
        }
        if (sinks.has("file")) {
            where.add("files " + Path.of(settings.text("sync.file.directory")).toAbsolutePath().normalize());
        }
        return where;
    }

    /** Starts a run of every stream now, in the background; what each said. */
    public java.util.List<String> runEveryStreamNow() {
        return context().getRegistry().lookupByNameAndType("controlPlane", io.lmssync.ops.ControlPlane.class)
                .runEveryStreamNow();
    }

    /** Runs on the schedules until the process is told to stop. */
    public void runUntilStopped() throws Exception {
        main.run();
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
