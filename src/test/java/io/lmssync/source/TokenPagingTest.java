package io.lmssync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.record.Json;
import io.lmssync.source.Paging.Pages;
import io.lmssync.source.Paging.PagingException;
import io.lmssync.sync.SyncWindows.Window;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared token paginators (next link, cursor, Link header), the same-host rule, Basic auth, windows' ends. */
class TokenPagingTest {

    private static final String BASE = "https://api.example.com/base";
    private static final Window WINDOW = new Window(1, 1, Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-02-01T00:00:00Z"));

    private static RequestPlan plan(Paging paging) {
        return RequestPlan.of("a", "GET", BASE, "/activity/", new BasicAuth("u", "p")).query("page_size", "2")
                .paging(paging).build();
    }

    private static Answer envelope(String... fields) {
        ObjectNode envelope = Json.MAPPER.createObjectNode();
        for (int i = 0; i < fields.length; i += 2) {
            envelope.put(fields[i], fields[i + 1]);
        }
        return Answer.of(2, null, List.of(), envelope);
    }

    private static String next(RequestPlan plan, Pages pages) {
        return plan.request(List.of(), null, pages).uri().toString();
    }

    @Test
    void aNextLinkIsFollowedAsGivenUntilAnAnswerGivesNone() {
        RequestPlan plan = plan(Paging.nextLink("next"));
        Pages pages = plan.paging().start("/activity/");
        assertThat(next(plan, pages)).isEqualTo(BASE + "/activity/?page_size=2");

        assertThat(pages.read(envelope("next", BASE + "/activity/?page=2&page_size=2"))).isTrue();
        assertThat(pages.more()).isTrue();
        assertThat(next(plan, pages)).isEqualTo(BASE + "/activity/?page=2&page_size=2");

        pages.read(envelope("previous", BASE + "/activity/"));
        assertThat(pages.more()).isFalse();
    }

    @Test
    void aNextLinkIsFollowedOnlyOnTheBaseUrlsSchemeHostAndPort() {
        RequestPlan plan = plan(Paging.nextLink("next"));
        Pages relative = plan.paging().start("/activity/");
        relative.read(envelope("next", "/base/activity/?page=2"));
        assertThat(next(plan, relative)).isEqualTo(BASE + "/activity/?page=2");

        // the same origin written otherwise is followed: the scheme's own port, the host's case
        for (String same : List.of("https://api.example.com:443/base/activity/?page=2",
                "HTTPS://API.example.com/base/activity/?page=2")) {
            Pages pages = plan.paging().start("/activity/");
            pages.read(envelope("next", same));
            assertThat(next(plan, pages)).isEqualTo(same);
        }
        for (String elsewhere : List.of("https://evil.example.com/base/activity/?page=2",
                "http://api.example.com/base/activity/?page=2", "https://api.example.com:8443/base/activity/?page=2")) {
            Pages pages = plan.paging().start("/activity/");
            pages.read(envelope("next", elsewhere));
            assertThatThrownBy(() -> next(plan, pages)).isInstanceOf(PagingException.class)
                    .hasMessageContaining("leaves its base URL's scheme and host (https://api.example.com)");
        }
        Pages malformed = plan.paging().start("/activity/");
        malformed.read(envelope("next", "https://api.example.com/base/a b"));
        assertThatThrownBy(() -> next(plan, malformed)).isInstanceOf(PagingException.class)
                .hasMessageStartingWith("the source's next link is not a URI");
    }

    @Test
    void aHostJavaCannotParseIsComparedAsWrittenNeverAsNoHost() {
        // an underscore (a compose service name): java.net.URI gives no host, and two such hosts once looked alike
        String base = "http://lms_mock:8080/api";
        assertThat(new Uri("/x").follow("http://lms_mock:8080/api/x?page=2").on(base))
                .hasToString("http://lms_mock:8080/api/x?page=2");
        for (String elsewhere : List.of("http://evil_host:9999/x", "http://evil_host:8080/x",
                "http://user@lms_mock:8080/x")) {
            assertThatThrownBy(() -> new Uri("/x").follow(elsewhere).on(base)).isInstanceOf(PagingException.class)
                    .hasMessageContaining("leaves its base URL's scheme and host (http://lms_mock:8080)");
        }
    }

    @Test
    void aCursorGoesBackAsAParameterAndATokenFollowedBeforeStopsTheScan() {
        RequestPlan plan = plan(Paging.cursor("next_cursor", "cursor"));
        Pages pages = plan.paging().start("/activity/");
        pages.read(envelope("next_cursor", "c2"));
        assertThat(next(plan, pages)).isEqualTo(BASE + "/activity/?page_size=2&cursor=c2");
        pages.read(envelope("next_cursor", "c3"));

        assertThatThrownBy(() -> pages.read(envelope("next_cursor", "c2"))).isInstanceOf(PagingException.class)
                .hasMessage("/activity/: the \"next_cursor\" cursor c2 was followed before; stopping rather than loop");
    }

    @Test
    void theLinkHeaderGivesTheTargetWhoseRelationsIncludeNext() {
        assertThat(LinkHeaderPaging.next("<https://h/x?page=1>; rel=\"prev\", <https://h/x?page=3>; rel=\"next\""))
                .isEqualTo("https://h/x?page=3");
        assertThat(LinkHeaderPaging.next("<https://h/x?page=3>;rel=next")).isEqualTo("https://h/x?page=3");
        assertThat(LinkHeaderPaging.next("<https://h/x?a=1,2>; title=\"a, b\"; REL=\"last next\""))
                .isEqualTo("https://h/x?a=1,2");
        assertThat(LinkHeaderPaging.next("<https://h/x?page=9>; rel=\"last\"")).isNull();
        assertThat(LinkHeaderPaging.next("")).isNull();

        RequestPlan plan = plan(Paging.linkHeader());
        Pages pages = plan.paging().start("/activity/");
        pages.read(envelope().withHeaders(Map.of("link", "<" + BASE + "/activity/?page=2>; rel=\"next\"")));
        assertThat(next(plan, pages)).isEqualTo(BASE + "/activity/?page=2");
        pages.read(envelope());
        assertThat(pages.more()).isFalse();
    }

    @Test
    void basicAuthSendsTheUserAndPasswordInBase64AndHidesThem() {
        BasicAuth auth = new BasicAuth("Aladdin", "open sesame");
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(
                new org.apache.camel.impl.DefaultCamelContext());
        auth.process(exchange);
        assertThat(exchange.getMessage().getHeader("Authorization")).isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assertThat(auth.toString()).doesNotContain("open");
        assertThat(io.lmssync.ops.Secrets.mask("Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="))
                .as("the encoded pair is masked in a log line, as the password is").doesNotContain("QWxhZGRpbjpv");
    }

    @Test
    void calendarDatesIncludeBothDaysAndEachPlacementReadsItsOwnEnd() {
        Map<WindowPlacement, String> placed = Map.of(
                WindowPlacement.calendarDates("start_date", "end_date"), "/a/",
                WindowPlacement.unixSecondsParams("from", "until"), "/a/",
                WindowPlacement.unixSecondsSegments(), "/a/{from}/{until}",
                WindowPlacement.odataFilter("_filter", "dateEdited", "_sort", "dateEdited,id"), "/a/");
        placed.forEach((placement, path) -> {
            Uri uri = new Uri(path);
            placement.place(uri, WINDOW);
            assertThat(placement.end(uri.on(BASE))).as(uri.toString()).isEqualTo(WINDOW.end());
        });
        Uri dates = new Uri("/a/");
        WindowPlacement.calendarDates("start_date", "end_date").place(dates, WINDOW);
        assertThat(dates).hasToString("/a/?start_date=2026-01-01&end_date=2026-01-31");
        assertThat(WindowPlacement.none().end(URI.create(BASE + "/a/?until=5"))).isNull();
    }
}
