package io.lmssync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a health message or the status page may quote of a vendor's answer: no address, however it was written. */
class RedactionTest {

    @Test
    void anAddressInAnyScriptOrEncodingIsCutOut() {
        assertThat(Redaction.redact("unknown: ana.lopez@example.com")).isEqualTo("unknown: <e-mail>");
        assertThat(Redaction.redact("jürgen@müller.de, 用户@例子.广告 and o'brien+x@b.example.org"))
                .isEqualTo("<e-mail>, <e-mail> and <e-mail>");
        assertThat(Redaction.redact("mailto:ana.lopez%40example.com&x=1")).isEqualTo("mailto:<e-mail>&x=1");
        assertThat(Redaction.redact("?for_users=j%C3%BCrgen%40m%C3%BCller.de,ana%2540example.com"))
                .isEqualTo("?for_users=<e-mail>,<e-mail>");
        assertThat(Redaction.redact("用户＠例子。广告 or ana&#64;example.com or ana&#x40;example.com"))
                .isEqualTo("<e-mail> or <e-mail> or <e-mail>");
    }

    @Test
    void anAddressCutShortWhereTheTextWasCutIsCutOutToo() {
        assertThat(Redaction.redact("user 用户@例...")).isEqualTo("user <e-mail>");
        assertThat(Redaction.redact("user ana.lopez@exa")).isEqualTo("user <e-mail>");
        assertThat(Redaction.redact("user ana.lopez%40exa…")).isEqualTo("user <e-mail>…");
    }

    @Test
    void whatIsNoAddressStays() {
        String text = "moocit refused GET /api/so2/v1/completion (HTTP 400: course-v1:Org+Safety+2024 is closed; "
                + "50% of 2 learners): check moocit.base-url, https://learn.example.com";
        assertThat(Redaction.redact(text)).isEqualTo(text);
        String longRun = "x".repeat(100_000);
        assertThat(Redaction.redact(longRun)).isEqualTo(longRun);
    }
}
