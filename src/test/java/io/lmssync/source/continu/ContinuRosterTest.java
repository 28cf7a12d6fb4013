package io.lmssync.source.continu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lmssync.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The roster file as customers write it: spreadsheets' CSV with quotes and a BOM, or a plain list. */
class ContinuRosterTest {

    @TempDir
    Path dir;

    private ContinuRoster roster(String text) throws Exception {
        Path file = dir.resolve("roster.csv");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        return new ContinuRoster(file);
    }

    @Test
    void aSpreadsheetExportWithABomQuotedCommasAndTheEmailColumnLastIsRead() throws Exception {
        ContinuRoster roster = roster("\uFEFF\"Name\",\"Team, Site\",\"Email\"\r\n"
                + "\"Doe, Jane\",\"Ops, Leeds\",jane@example.com\r\n"
                + "Ann Lee,Sales,\"ann@example.com\"\r\n"
                + "# a comment\r\n"
                + "\r\n"
                + "\"Smith, Bob\",HR,bob@example.com\r\n"
                + "Jane again,Ops,jane@example.com\r\n");

        assertThat(roster.emails()).containsExactly("jane@example.com", "ann@example.com", "bob@example.com");
    }

    @Test
    void aPlainListOfAddressesIsRead() throws Exception {
        assertThat(roster("a@example.com\nb@example.com\n\n").emails()).containsExactly("a@example.com",
                "b@example.com");
    }

    @Test
    void anEmptyRosterOrOneWithoutAnyAddressNamesTheFile() throws Exception {
        assertThatThrownBy(() -> roster("name,email\n").emails()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("continu.roster-file (" + dir.resolve("roster.csv") + ") holds no e-mail");
        assertThatThrownBy(() -> roster("").emails()).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> new ContinuRoster(dir.resolve("missing.csv")).emails())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("cannot be read");
    }
}
