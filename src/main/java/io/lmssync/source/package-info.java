/**
 * Sources, their streams, and the protocol a stream's route speaks with its requests.
 *
 * <h2>Who owns what</h2>
 * A {@link io.lmssync.source.Source} (its own package, found by {@link java.util.ServiceLoader}) declares its
 * {@link io.lmssync.source.Stream}s once. A stream is two parts of its own: its requests ({@link
 * io.lmssync.source.Requests}, built by {@link io.lmssync.source.RequestPlan} from fixed parts: auth, {@link
 * io.lmssync.source.WindowPlacement}, {@link io.lmssync.source.Partitioning}, {@link io.lmssync.source.Paging},
 * {@link io.lmssync.source.AnswerShape}, {@link io.lmssync.source.WhenRefused}) and its mapper ({@link
 * io.lmssync.source.RecordMapper}: one vendor object to one canonical record, no I/O). Everything else is shared and
 * derived ({@link io.lmssync.source.SourceRoutes}): the stream's route from {@code routes/stream-templates.camel.yaml}
 * (route id = stream id), its beans ({@code <id>-requests}, {@code <id>-mapper}), its schedule and its account's
 * gateway ({@code direct:<account>-call}).
 *
 * <h2>The protocol: two questions, asked by the route</h2>
 * For each window of a run ({@code syncWindows.plan}: from the stream's cursor to now; a snapshot stream has one
 * window), the stream template loops:
 * <ol>
 * <li><b>{@code requests.next(exchange)}: the next request?</b> True puts one request on the exchange ({@link
 * io.lmssync.source.SourceRequest}: method, URI, body, headers, the auth part to apply). In order: once a run, the
 * run's partitions (read from settings, a file or a parent stream, or listed by the source, each listing page a
 * request like any other); then, batch of partitions after batch, page after page ({@link
 * io.lmssync.source.Paging.Pages#place}); a probe when a refusal asked for one. False when every batch of the window
 * is read: the loop ends.</li>
 * <li>The gateway sends it: the account's budget and throttle, the auth, the call within
 * {@code <account>.request-deadline}, and {@link io.lmssync.source.AnswerDownload} spools the answer, checks it is
 * well-formed JSON within {@code <account>.max-answer-bytes}, and leaves an {@link io.lmssync.source.Answer} on the
 * exchange (status, the envelope's scalar fields, the headers, the items' place in the spool).</li>
 * <li><b>{@code requests.read(exchange)}: the answer read, deliver its records?</b> True: the route splits the
 * spooled items into chunks ({@code jsonArrayChunks}), maps each and delivers it to every sink. False: the answer was
 * the requests' own business (a listing page, a probe's answer, a refusal that split a batch or left a partition
 * out): nothing is delivered. The paging sees every answer whole ({@link io.lmssync.source.Paging.Pages#read}) and
 * decides whether there is another page ({@link io.lmssync.source.Paging.Pages#more}).</li>
 * </ol>
 * Then the route marks the window done, which moves the cursor to the window's end; after the last window, a full
 * pull (a snapshot, a reconciliation) plans its deletions. The order "deliver, then window done, then cursor" is the
 * template's alone: no part can move a cursor.
 *
 * <h2>What a part may and may not do</h2>
 * <ul>
 * <li>{@code next} and {@code read} never deliver and never call the source themselves: every call goes through the
 * gateway, so it spends the account's budget and is bounded in time and size.</li>
 * <li>What the requests keep between the two questions (the scan: batches still to read, the batch under way and its
 * pages, a probe) is on the run's exchange ({@link io.lmssync.source.Scan}), not in the plan: a plan is immutable and
 * the same for every run. ({@code next} runs as the loop's predicate, on a copy of the exchange whose properties Camel
 * copies back but never removes: a part reads "under way" from its own state, not from a property's absence.)</li>
 * <li>A part that cannot go on throws, naming the setting or the answer at fault ({@code
 * Paging.PagingException}, a refusal naming the settings that shape the request): it never loops on a
 * repeated token and never skips a page. A throw fails the stream's run; the window is not marked done, the cursor
 * stays, and the next run reads the window again (an upsert makes reading a record twice harmless).</li>
 * <li>A batch's partitions are marked read ({@code Partitioning.scanned}) only when its last page was read, after its
 * records reached every sink: a reconciliation deletes only within partitions it read whole.</li>
 * </ul>
 *
 * <h2>Adding to it</h2>
 * A source of a shape the shared parts cover is its package, its settings block and its services line (README, "Add a
 * source"). A quirk no part covers is a class in the source's package implementing a part's public interface: a paging
 * style extends {@link io.lmssync.source.TokenPaging} or implements {@link io.lmssync.source.Paging}; an auth is a
 * Camel {@link org.apache.camel.Processor}; a window placement implements {@link io.lmssync.source.WindowPlacement};
 * a refusal's meaning implements {@link io.lmssync.source.WhenRefused}. The test-only analytics source
 * ({@code src/test/java/io/lmssync/source/analytics/}) is the worked example.
 */
package io.lmssync.source;
