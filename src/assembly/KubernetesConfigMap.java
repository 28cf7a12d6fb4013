import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes deploy/kubernetes/configmap.yaml at build time (run by the pom as a single-file program): a ConfigMap whose
 * keys are application.properties and every routes/*.camel.yaml, with the files' exact text, so the example never
 * drifts from the settings and routes the archive ships.
 *
 * <p>{@code java KubernetesConfigMap.java OUTPUT NAME application.properties routes}
 */
public final class KubernetesConfigMap {

    public static void main(String[] args) throws IOException {
        Path output = Path.of(args[0]);
        String name = args[1];
        List<Path> files = new ArrayList<>(List.of(Path.of(args[2])));
        try (Stream<Path> routes = Files.list(Path.of(args[3]))) {
            routes.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().forEach(files::add);
        }
        StringBuilder yaml = new StringBuilder("""
                # Made by the build from application.properties and routes/*.camel.yaml, the archive's own files;
                # deployment.yaml mounts it at /etc/lms-sync. To change a setting or a route, edit those files and
                # make this again (kubectl 1.19 or newer):
                #   kubectl create configmap %s --from-file=application.properties --from-file=routes/ \\
                #     --dry-run=client -o yaml > deploy/kubernetes/configmap.yaml
                # then apply it and restart the pod (kubectl rollout restart deployment/lms-sync): lms-sync reads
                # its settings and routes when it starts.
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  labels:
                    app.kubernetes.io/name: lms-sync
                data:
                """.formatted(name, name));
        for (Path file : files) {
            yaml.append("  ").append(file.getFileName()).append(": ").append(blockScalar(file)).append('\n');
        }
        Files.createDirectories(output.getParent());
        Files.writeString(output, yaml, StandardCharsets.UTF_8);
    }

    /** The file's text as a literal block scalar indented by four spaces, its final line breaks kept exactly. */
    private static String blockScalar(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || c == '\ufeff') {
                throw new IllegalArgumentException(file + " holds character U+%04X at %d, which a YAML block cannot"
                        .formatted((int) c, i) + " carry: write it without");
            }
        }
        String body = text.replaceAll("\n+$", "");
        int breaks = text.length() - body.length();
        String chomping = breaks == 0 ? "-" : breaks == 1 ? "" : "+";
        // a first line that starts with a space needs the content's indentation said: 2 more than the key's
        String indentation = body.startsWith(" ") ? "2" : "";
        StringBuilder block = new StringBuilder("|").append(indentation).append(chomping);
        for (String line : body.split("\n", -1)) {
            block.append('\n');
            if (!line.isEmpty()) {
                block.append("    ").append(line);
            }
        }
        block.append("\n".repeat(Math.max(0, breaks - 1)));
        return block.toString();
    }
}
