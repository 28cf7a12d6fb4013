package io.lmssync.vendor.continu;

import io.lmssync.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The learners Continu's Open API is asked about: {@code continu.roster-file}, one e-mail a line or a CSV with an
 * {@code email} column, read at each run (so an updated roster needs no restart) and sent in batches of
 * {@code continu.roster-batch-size}, one request a batch.
 */
public final class ContinuRoster {

    private final Path file;
    private final int batchSize;

    public ContinuRoster(Path file, int batchSize) {
        this.file = file;
        this.batchSize = batchSize;
    }

    /** Checks at start-up that the roster can be read and holds someone. */
    public void validate() {
        if (emails().isEmpty()) {
            throw new ConfigurationException("continu.roster-file " + file + " holds no e-mail address");
        }
    }

    public List<List<String>> batches() {
        List<String> emails = emails();
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < emails.size(); i += batchSize) {
            batches.add(List.copyOf(emails.subList(i, Math.min(i + batchSize, emails.size()))));
        }
        return batches;
    }

    List<String> emails() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("continu.roster-file cannot be read (" + file + "): " + e.getMessage());
        }
        int column = -1;
        Set<String> emails = new LinkedHashSet<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (column < 0 && emails.isEmpty()) {
                int header = Arrays.stream(cells).map(c -> c.strip().replace("\"", "").toLowerCase(Locale.ROOT))
                        .toList().indexOf("email");
                if (header >= 0) {
                    column = header;
                    continue;
                }
            }
            String email = (column >= 0 ? (column < cells.length ? cells[column] : "") : cells[0])
                    .strip().replace("\"", "");
            if (email.contains("@")) {
                emails.add(email);
            }
        }
        return new ArrayList<>(emails);
    }
}
