package io.lmssync.source.continu;

import io.lmssync.ConfigurationException;
import io.lmssync.record.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learners Continu's Open API is asked about: {@code continu.roster-file}, one e-mail a line, or a CSV (quoted
 * fields, a UTF-8 byte-order mark, lines starting with # skipped) whose header names an {@code email} column
 * anywhere. It is read at the start of every run, so an updated roster needs no restart; one that cannot be read or
 * holds nobody fails the run, naming the file, rather than sync nothing.
 */
public final class ContinuRoster {

    private static final Logger LOG = LoggerFactory.getLogger(ContinuRoster.class);
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setCommentMarker('#')
            .setIgnoreEmptyLines(true).setTrim(true).get();

    private final Path file;

    public ContinuRoster(Path file) {
        this.file = file;
    }

    /** The roster's e-mail addresses, each once, in file order. */
    public List<String> emails() {
        return new ArrayList<>(lines().keySet());
    }

    /**
     * A learner as logs and summaries may name one: by the roster's line, never by the address (personal data stays
     * in the store); a learner no longer in the roster by a short hash of the address.
     */
    public String describe(String email) {
        Long line = lines().get(email);
        return line != null ? "roster line " + line
                : "learner " + Sha256.hex(email.toLowerCase(Locale.ROOT)).substring(0, 12);
    }

    /** The roster's e-mail addresses, each once, in file order, with the line each is on. */
    private Map<String, Long> lines() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("continu.roster-file cannot be read (" + file + "): " + e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Map<String, Long> emails = new LinkedHashMap<>();
        int column = 0;
        int without = 0;
        try (CSVParser parser = CSVParser.parse(text, FORMAT)) {
            boolean first = true;
            for (CSVRecord line : parser) {
                if (first) {
                    first = false;
                    int header = header(line);
                    if (header >= 0) {
                        column = header;
                        continue;
                    }
                }
                String email = column < line.size() ? line.get(column).strip() : "";
                if (email.contains("@")) {
                    emails.putIfAbsent(email, parser.getCurrentLineNumber());
                } else {
                    without++;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ConfigurationException("continu.roster-file (" + file + ") is not a readable CSV file: "
                    + e.getMessage());
        }
        if (emails.isEmpty()) {
            throw new ConfigurationException("continu.roster-file (" + file + ") holds no e-mail address: one a line,"
                    + " or a CSV with an email column");
        }
        if (without > 0) {
            LOG.warn("continu.roster-file ({}): {} line(s) without an e-mail address are skipped", file, without);
        }
        return emails;
    }

    /** The index of the {@code email} column when the line is a header; -1 when it is not. */
    private static int header(CSVRecord line) {
        for (int i = 0; i < line.size(); i++) {
            if (line.get(i).strip().toLowerCase(Locale.ROOT).equals("email")) {
                return i;
            }
        }
        return -1;
    }
}
