package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lmssync.source.Source;
import io.lmssync.source.Sources;
import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The distribution as an operator installs it: {@code target/lms-sync-<version>.tar.gz} unpacked with tar, and
 * {@code bin/lms-sync} run from another folder, so that nothing resolves from the repository.
 */
class DistributionIT {

    private static final String VERSION = System.getProperty("lmssync.version");
    private static final Path REPOSITORY = Path.of("").toAbsolutePath();
    /** Credentials outside the sources' own: SecretSettings' other keys, and the ids that go with their secrets. */
    private static final List<String> OTHER_CREDENTIALS = Stream.concat(
            SecretSettings.OTHER_KEYS.stream(), Stream.of("thrive.client-id", "sync.xapi.username"))
            .toList();

    @TempDir
    static Path unpacked;
    static Path install;

    @TempDir
    Path workdir;

    record Result(int exitCode, String output) {
    }

    @BeforeAll
    static void unpackTheArchive() throws Exception {
        Result tar = run(unpacked, Map.of(), "tar", "-xzf", archive().toString(), "-C", unpacked.toString());
        assertThat(tar.exitCode()).as(tar.output()).isZero();
        install = unpacked.resolve("lms-sync-" + VERSION);
        assertThat(install).isDirectory();
    }

    /** The archive the build made: the pom names it; otherwise the one target/lms-sync-*.tar.gz. */
    private static Path archive() throws IOException {
        String named = System.getProperty("lmssync.distribution");
        if (named != null) {
            return Path.of(named);
        }
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> archives = files.filter(p -> p.getFileName().toString().matches("lms-sync-.+\\.tar\\.gz"))
                    .toList();
            assertThat(archives).as("target/lms-sync-*.tar.gz (mvn package makes it)").hasSize(1);
            return archives.get(0);
        }
    }

    @Test
    void theArchiveHoldsTheScriptTheJarTheSettingsTheRoutesTheUnitAndTheKubernetesExample() throws Exception {
        Result listing = run(unpacked, Map.of(), "tar", "-tvzf", archive().toString());
        assertThat(listing.output().lines()).as(listing.output())
                .anyMatch(line -> line.startsWith("-rwxr-xr-x ") && line.endsWith(" lms-sync-" + VERSION
                        + "/bin/lms-sync"));
        assertThat(install.resolve("bin/lms-sync")).isExecutable();
        assertThat(Files.mismatch(install.resolve("lib/lms-sync.jar"), Path.of("target/lms-sync.jar")))
                .as("lib/lms-sync.jar is the jar the build made").isEqualTo(-1L);
        assertThat(install.resolve("application.properties")).hasSameBinaryContentAs(Path.of("application.properties"));
        Map<String, String> routes = routes(REPOSITORY.resolve("routes"));
        assertThat(routes).isNotEmpty();
        assertThat(routes(install.resolve("routes"))).isEqualTo(routes);
        for (String file : List.of("INSTALL.md", "README.md", "systemd/lms-sync.service",
                "systemd/lms-sync.env.example", "deploy/kubernetes/deployment.yaml", "deploy/kubernetes/configmap.yaml",
                "deploy/kubernetes/secret.yaml")) {
            assertThat(install.resolve(file)).as(file).isRegularFile().isNotEmptyFile();
        }
        for (String file : List.of("alerts/lms-sync.rules.yml", "alerts/lms-sync.rules.test.yml")) {
            assertThat(install.resolve(file)).as(file).hasSameBinaryContentAs(REPOSITORY.resolve(file));
        }
    }

    @Test
    void theDemoRunsFromAnotherFolderAndKeepsItsStateThere() throws Exception {
        Result result = run(workdir, java(), install.resolve("bin/lms-sync").toString(), "--demo", "--once");

        assertThat(result.exitCode()).as(result.output()).isZero();
        Path files = workdir.toRealPath().resolve("data/out");
        assertThat(result.output().lines()).as(result.output())
                .anyMatch(line -> line.matches("\\s+stream\\s+outcome\\s+fetched\\s+inserted.*"))
                .anyMatch(line -> line.equals("  records went to: database jdbc:h2:file:./data/lms-sync; files "
                        + files));
        for (String stream : List.of("moocit-course-completions", "absorb-course-enrollments", "continu-assessments",
                "continu-reporting-content-completions")) {
            assertThat(result.output().lines()).as(stream)
                    .anyMatch(line -> line.matches("\\s+" + stream + "\\s+succeeded(\\s+\\d+){9}\\s+\\S+s"));
        }
        assertThat(workdir.resolve("data/lms-sync.mv.db")).exists();
        assertThat(workdir.resolve("data/out/moocit/course_completion")).isDirectory();
        assertThat(install.resolve("data")).as("nothing is written into the installation").doesNotExist();
    }

    @Test
    void throughASymlinkTheScriptFindsItsInstallationAndPassesJavaOptsAndArguments() throws Exception {
        Path bin = Files.createDirectories(workdir.resolve("usr/local/bin"));
        Path link = Files.createSymbolicLink(bin.resolve("lms-sync"), install.resolve("bin/lms-sync"));
        Map<String, String> environment = new HashMap<>(java());
        environment.put("JAVA_OPTS", "-Xmx64m -XX:+PrintCommandLineFlags");

        Result result = run(workdir, environment, link.toString(), "--version");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("-XX:MaxHeapSize=67108864", "-XX:+PrintCommandLineFlags")
                .endsWith("lms-sync " + VERSION + "\n");
    }

    @Test
    void withoutJavaTheScriptSaysSoAndExitsTwo() throws Exception {
        Result result = run(workdir, Map.of("JAVA_HOME", workdir.resolve("no-jdk").toString()),
                install.resolve("bin/lms-sync").toString(), "--version");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("no java at", "set JAVA_HOME");
    }

    @Test
    void aSettingsFileTheCallerNamesIsTheOneRead() throws Exception {
        Files.writeString(workdir.resolve("mine.properties"),
                Files.readString(Path.of("application.properties")) + "\nsync.sinks = jdbc,nosuchsink\n");

        Result result = run(workdir, java(), install.resolve("bin/lms-sync").toString(),
                "--properties=mine.properties", "--once");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("sync.sinks names an unknown sink 'nosuchsink'");
    }

    @Test
    void theScriptIsPosixShell() throws Exception {
        Result result = run(workdir, Map.of(), "sh", "-n", install.resolve("bin/lms-sync").toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(Files.readString(install.resolve("bin/lms-sync"))).startsWith("#!/bin/sh\n");
    }

    @Test
    void shellcheckFindsNothingInTheScript() throws Exception {
        assumeTrue(onPath("shellcheck"),
                () -> skipped("shellcheck is not installed (Debian: apt-get install shellcheck)"));

        Result result = run(workdir, Map.of(), "shellcheck", "--shell=sh", install.resolve("bin/lms-sync").toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void theUnitRunsTheScriptAsItsOwnUserWithSecretsFromTheEnvironmentFileAndHardened() throws Exception {
        Map<String, List<String>> service = unitSection(install.resolve("systemd/lms-sync.service"), "Service");

        assertThat(service).containsEntry("ExecStart", List.of("/opt/lms-sync/bin/lms-sync"))
                .containsEntry("User", List.of("lms-sync"))
                .containsEntry("Restart", List.of("on-failure"))
                .containsEntry("EnvironmentFile", List.of("/etc/lms-sync/lms-sync.env"))
                .containsEntry("WorkingDirectory", List.of("/var/lib/lms-sync"))
                .containsEntry("ReadWritePaths", List.of("/var/lib/lms-sync"))
                .containsEntry("NoNewPrivileges", List.of("yes"))
                .containsEntry("ProtectSystem", List.of("strict"))
                .containsEntry("ProtectHome", List.of("yes"))
                .containsEntry("PrivateTmp", List.of("yes"))
                .containsEntry("CapabilityBoundingSet", List.of(""))
                // the JVM's exit on SIGTERM, which the Kubernetes test below sees
                .containsEntry("SuccessExitStatus", List.of("143"))
                // the JIT compiler writes code it runs
                .doesNotContainKey("MemoryDenyWriteExecute");
    }

    @Test
    void systemdAnalyzeVerifiesTheUnit() throws Exception {
        assumeTrue(onPath("systemd-analyze"),
                () -> skipped("systemd-analyze is not installed: the unit is not verified"));
        // verify checks that ExecStart's program exists: point it at the unpacked script, the rest as shipped
        Path unit = workdir.resolve("lms-sync.service");
        Files.writeString(unit, Files.readString(install.resolve("systemd/lms-sync.service"))
                .replace("ExecStart=/opt/lms-sync/bin/lms-sync", "ExecStart=" + install.resolve("bin/lms-sync")));

        Result result = run(workdir, Map.of(), "systemd-analyze", "verify", unit.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as("systemd-analyze's warnings").isEmpty();
    }

    @Test
    void theEnvironmentExampleNamesEveryCredentialAndGivesNoValue() throws Exception {
        List<String> lines = Files.readAllLines(install.resolve("systemd/lms-sync.env.example"));

        assertThat(lines).as("every line a comment or blank: nothing is set")
                .allMatch(line -> line.isBlank() || line.startsWith("#"));
        for (String variable : credentialVariables()) {
            assertThat(lines).as(variable).contains("#" + variable + "=");
        }
    }

    @Test
    void theKubernetesExampleParsesAndSaysWhatItMeans() throws Exception {
        Kubernetes k8s = kubernetes();
        Map<String, Object> container = k8s.container();
        int managementPort = Integer.parseInt(settings().getProperty("camel.management.port").trim());

        assertThat(k8s.deployment().get("kind")).isEqualTo("Deployment");
        assertThat((String) container.get("image")).endsWith(":" + VERSION);
        assertThat(probe(container, "livenessProbe")).containsEntry("path", "/observe/health/live");
        assertThat(probe(container, "readinessProbe")).containsEntry("path", "/observe/health/ready");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(port(container, probe(container, probe).get("port"))).as(probe).isEqualTo(managementPort);
        }
        List<String> args = strings(container.get("args"));
        String configDirectory = k8s.mountPath("config");
        assertThat(args).contains("camel.management.host=0.0.0.0",
                "--properties=" + configDirectory + "/application.properties",
                "camel.main.routes-include-pattern=file:" + configDirectory + "/*.camel.yaml");
        assertThat(container.get("workingDir")).isEqualTo(k8s.mountPath("data"));
        assertThat(k8s.volume("config")).containsEntry("configMap", Map.of("name", name(k8s.configMap())));
        assertThat(map(map(list(container.get("envFrom")).get(0)).get("secretRef")))
                .containsEntry("name", name(k8s.secret()));

        Map<String, String> expected = new TreeMap<>(routes(REPOSITORY.resolve("routes")));
        expected.put("application.properties", Files.readString(Path.of("application.properties")));
        assertThat(new TreeMap<>(stringMap(k8s.configMap().get("data")))).isEqualTo(expected);

        Map<String, String> secret = stringMap(k8s.secret().get("stringData"));
        assertThat(secret.keySet()).as("the Secret's keys are the environment variables README names")
                .isSubsetOf(readmeVariables()).containsAll(credentialVariables());
        assertThat(secret.values()).as("placeholders, no values").allMatch(String::isEmpty);
    }

    /**
     * The pod's layout without Kubernetes: the ConfigMap's keys as files in one folder, the Secret's keys as the
     * environment, the Deployment's command and arguments, its working directory a folder of its own; the probes it
     * declares answer 200, and SIGTERM stops it as the unit expects.
     */
    @Test
    void theKubernetesLayoutStartsAndAnswersTheProbesItDeclares() throws Exception {
        Kubernetes k8s = kubernetes();
        Map<String, Object> container = k8s.container();
        Path config = Files.createDirectories(workdir.resolve("etc"));
        stringMap(k8s.configMap().get("data")).forEach((key, text) -> write(config.resolve(key), text));
        Path state = Files.createDirectories(workdir.resolve("state"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        for (String part : concat(strings(container.get("command")), strings(container.get("args")))) {
            command.add(part.replace("/opt/lms-sync", install.toString())
                    .replace(k8s.mountPath("config"), config.toString()));
        }
        command.addAll(List.of("--demo", "camel.management.port=" + port));
        Map<String, String> environment = new HashMap<>(java());
        // the operator's Secret holds the keys given a value (INSTALL.md); an empty one would still win over
        // application.properties and the demo's credentials alike
        stringMap(k8s.secret().get("stringData")).forEach((key, value) -> {
            if (!value.isEmpty()) {
                environment.put(key, value);
            }
        });
        // the one the pod needs whatever it syncs: its management server listens beyond loopback
        environment.put("SYNC_MANAGEMENT_PASSWORD", "kubernetes-layout-password");
        for (Object variable : list(container.get("env"))) {
            environment.put((String) map(variable).get("name"), (String) map(variable).get("value"));
        }
        Path log = workdir.resolve("pod.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(state.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process pod = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String live = "http://127.0.0.1:" + port + probe(container, "livenessProbe").get("path");
            String ready = "http://127.0.0.1:" + port + probe(container, "readinessProbe").get("path");
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!pod.isAlive()) {
                    throw new AssertionError("the pod's process ended:\n" + read(log));
                }
                return status(http, live) == 200 && status(http, ready) == 200;
            });
            // the service names its URLs once started, which can be a moment after the probes first answer
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(read(log)).contains("status page http://0.0.0.0:" + port + "/observe/status"));
            assertThat(state.resolve("data/lms-sync.mv.db")).exists();
        } finally {
            pod.destroy();
            assertThat(pod.waitFor(60, TimeUnit.SECONDS)).as("the service stopped on SIGTERM").isTrue();
        }
        assertThat(pod.exitValue()).as("the JVM's exit on SIGTERM (the unit's SuccessExitStatus)").isEqualTo(143);
    }

    // --- the Kubernetes documents

    record Kubernetes(Map<String, Object> deployment, Map<String, Object> configMap, Map<String, Object> secret) {

        Map<String, Object> podSpec() {
            return map(map(map(deployment.get("spec")).get("template")).get("spec"));
        }

        Map<String, Object> container() {
            return map(list(podSpec().get("containers")).get(0));
        }

        Map<String, Object> volume(String name) {
            return list(podSpec().get("volumes")).stream().map(DistributionIT::map)
                    .filter(v -> name.equals(v.get("name"))).findFirst().orElseThrow(() -> new AssertionError(
                            "no volume " + name));
        }

        String mountPath(String volume) {
            return list(container().get("volumeMounts")).stream().map(DistributionIT::map)
                    .filter(m -> volume.equals(m.get("name"))).map(m -> (String) m.get("mountPath")).findFirst()
                    .orElseThrow(() -> new AssertionError("no mount of " + volume));
        }
    }

    /** Every document of every deploy/kubernetes/*.yaml, parsed; one Deployment, one ConfigMap, one Secret. */
    private static Kubernetes kubernetes() throws IOException {
        Map<String, List<Map<String, Object>>> byKind = new HashMap<>();
        try (Stream<Path> files = Files.list(install.resolve("deploy/kubernetes"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Load(LoadSettings.builder().setLabel(file.toString()).build())
                        .loadAllFromString(Files.readString(file))) {
                    Map<String, Object> resource = map(document);
                    assertThat(resource).as(file.toString()).containsKeys("apiVersion", "kind", "metadata");
                    byKind.computeIfAbsent((String) resource.get("kind"), k -> new ArrayList<>()).add(resource);
                }
            }
        }
        assertThat(byKind).containsKeys("Deployment", "ConfigMap", "Secret");
        for (String kind : List.of("Deployment", "ConfigMap", "Secret")) {
            assertThat(byKind.get(kind)).as(kind).hasSize(1);
        }
        return new Kubernetes(byKind.get("Deployment").get(0), byKind.get("ConfigMap").get(0),
                byKind.get("Secret").get(0));
    }

    private static Map<String, Object> probe(Map<String, Object> container, String probe) {
        return map(map(container.get(probe)).get("httpGet"));
    }

    /** A probe's port: a number, or the name of one of the container's ports. */
    private static int port(Map<String, Object> container, Object port) {
        if (port instanceof Integer number) {
            return number;
        }
        return list(container.get("ports")).stream().map(DistributionIT::map).filter(p -> port.equals(p.get("name")))
                .map(p -> (Integer) p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port));
    }

    private static String name(Map<String, Object> resource) {
        return (String) map(resource.get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object yaml) {
        assertThat(yaml).isInstanceOf(Map.class);
        return (Map<String, Object>) yaml;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object yaml) {
        assertThat(yaml).isInstanceOf(List.class);
        return (List<Object>) yaml;
    }

    private static List<String> strings(Object yaml) {
        return list(yaml).stream().map(String.class::cast).toList();
    }

    private static Map<String, String> stringMap(Object yaml) {
        Map<String, String> strings = new LinkedHashMap<>();
        map(yaml).forEach((key, value) -> strings.put(key, (String) value));
        return strings;
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    // --- what the repository says

    private static Map<String, String> routes(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            Map<String, String> routes = new TreeMap<>();
            for (Path file : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                routes.put(file.getFileName().toString(), Files.readString(file));
            }
            return routes;
        }
    }

    private static Properties settings() throws IOException {
        Properties settings = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("application.properties"))) {
            settings.load(reader);
        }
        return settings;
    }

    /** The environment variable of every credential lms-sync reads: the sources' and the sinks'. */
    private static Set<String> credentialVariables() {
        Set<String> keys = new TreeSet<>(OTHER_CREDENTIALS);
        for (Source source : Sources.all()) {
            // the sources the archive ships: one packaged elsewhere (the analytics test source) brings its own file
            if (source.getClass().getResource(source.key() + ".properties") == null) {
                keys.addAll(source.credentialKeys());
            }
        }
        return keys.stream().map(Settings::environmentVariable).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The environment variables README names, as `NAME`. */
    private static Set<String> readmeVariables() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`").matcher(Files.readString(
                Path.of("README.md")));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** A systemd unit's section as key to values, in order (a key may repeat). */
    private static Map<String, List<String>> unitSection(Path unit, String section) throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String current = null;
        for (String line : Files.readAllLines(unit)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("[")) {
                current = trimmed.substring(1, trimmed.length() - 1);
            } else if (section.equals(current) && !trimmed.isEmpty() && !trimmed.startsWith("#")) {
                int equals = trimmed.indexOf('=');
                keys.computeIfAbsent(trimmed.substring(0, equals).trim(), k -> new ArrayList<>())
                        .add(trimmed.substring(equals + 1).trim());
            }
        }
        return keys;
    }

    // --- processes

    /** The JDK running the tests, for the script (JAVA_HOME). */
    private static Map<String, String> java() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"));
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, program)));
    }

    private static String skipped(String reason) {
        System.out.println("skipped: " + reason);
        return reason;
    }

    private static Result run(Path directory, Map<String, String> environment, String... command) throws Exception {
        Path log = Files.createTempFile("distribution-it-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 2 minutes:\n" + read(log));
            }
            return new Result(process.exitValue(), read(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static int status(HttpClient http, String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
            return -1;
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
