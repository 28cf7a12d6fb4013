package io.lmssync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The packaged jar as a process, run as README says: {@code java -jar target/lms-sync.jar}, from its own folder. */
final class JarProcess {

    private JarProcess() {
    }

    /** Puts what the repository root holds for the service (settings and routes) into the folder. */
    static void prepare(Path workdir) throws IOException {
        Files.copy(Path.of("application.properties"), workdir.resolve("application.properties"));
        Files.createDirectories(workdir.resolve("routes"));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.toList()) {
                Files.copy(route, workdir.resolve("routes").resolve(route.getFileName()));
            }
        }
    }

    /** Starts the jar in the folder with the environment; its output goes to the log file. */
    static Process start(Path workdir, Map<String, String> environment, Path log, String... args) throws IOException {
        String jar = Path.of(System.getProperty("lmssync.jar", "target/lms-sync.jar")).toAbsolutePath().toString();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }
}
