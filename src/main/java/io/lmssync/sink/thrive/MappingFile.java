package io.lmssync.sink.thrive;

import io.lmssync.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A mapping the customer maintains, from their ids to Thrive's: a CSV file whose first line is a header and whose
 * other lines are {@code key,thrive id} (blank lines and lines starting with # are skipped; the key may itself hold
 * commas, the Thrive id is after the last one). Keys are matched without regard to case. The file is read again
 * whenever it changes, so a mapping added while the service runs is used by the next run.
 */
final class MappingFile {

    private final String setting;
    private final Path file;
    private FileTime readAt;
    private long readSize = -1;
    private Map<String, String> mappings = Map.of();

    MappingFile(String setting, Path file) {
        this.setting = setting;
        this.file = file;
        lookup(""); // read it now: a missing or malformed file fails at start-up
    }

    /** The Thrive id for the key, if the file maps it. */
    synchronized Optional<String> lookup(String key) {
        reloadIfChanged();
        return Optional.ofNullable(mappings.get(key.toLowerCase(Locale.ROOT)));
    }

    Path file() {
        return file;
    }

    String setting() {
        return setting;
    }

    private void reloadIfChanged() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(readAt) && size == readSize) {
                return;
            }
            mappings = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
            readAt = modified;
            readSize = size;
        } catch (IOException e) {
            throw new ConfigurationException(setting + " cannot be read (" + file + "): " + e);
        }
    }

    private Map<String, String> parse(List<String> lines) {
        Map<String, String> parsed = new HashMap<>();
        boolean header = true;
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            int comma = line.lastIndexOf(',');
            String key = comma < 0 ? "" : unquote(line.substring(0, comma)).toLowerCase(Locale.ROOT);
            String id = comma < 0 ? "" : unquote(line.substring(comma + 1));
            if (key.isEmpty() || id.isEmpty()) {
                throw new ConfigurationException(setting + " (" + file + ") line " + n
                        + " is not 'key,thrive id': '" + line + "'");
            }
            String before = parsed.put(key, id);
            if (before != null && !before.equals(id)) {
                throw new ConfigurationException(setting + " (" + file + ") line " + n + " maps '" + key
                        + "' to " + id + ", an earlier line to " + before + ": which one is right?");
            }
        }
        return Map.copyOf(parsed);
    }

    private static String unquote(String cell) {
        String s = cell.strip();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1).strip() : s;
    }
}
