package io.lmssync.sink.thrive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A completion in Thrive's ids, as the customer's mapping files give them now: the user by e-mail, else by external
 * id, else by {@code source:user id}; the content by the record's content. A completion neither file names in full
 * waits, and its reason says which mapping is missing from which file.
 */
final class ThriveIds {

    /** The completion to push in Thrive's ids, or null and why it waits. */
    record Mapped(ThrivePush.Push push, String missing) {
    }

    private final MappingFile users;
    private final MappingFile contents;

    ThriveIds(Path userMapFile, Path contentMapFile) {
        this.users = new MappingFile("thrive.user-map-file", userMapFile);
        this.contents = new MappingFile("thrive.content-map-file", contentMapFile);
    }

    Mapped map(Completion completion) {
        Optional<String> user = user(completion);
        Optional<String> content = contents.lookup(completion.content());
        if (user.isPresent() && content.isPresent()) {
            return new Mapped(new ThrivePush.Push(completion, user.get(), content.get()), null);
        }
        return new Mapped(null, reason(completion, user.isEmpty(), content.isEmpty()));
    }

    /** The Thrive user: by e-mail, else by external id, else by {@code source:user id}. */
    private Optional<String> user(Completion completion) {
        for (String key : Arrays.asList(completion.email(), completion.externalId(), completion.sourceUser())) {
            Optional<String> user = key == null ? Optional.empty() : users.lookup(key);
            if (user.isPresent()) {
                return user;
            }
        }
        return Optional.empty();
    }

    private String reason(Completion completion, boolean noUser, boolean noContent) {
        List<String> missing = new ArrayList<>();
        if (noUser) {
            missing.add("no Thrive user for " + Stream.of(completion.email(), completion.externalId(),
                    completion.sourceUser()).filter(Objects::nonNull).collect(Collectors.joining(" / ")) + " in "
                    + users.setting() + " (" + users.file() + ")");
        }
        if (noContent) {
            missing.add("no Thrive content for " + completion.content() + " in " + contents.setting() + " ("
                    + contents.file() + ")");
        }
        return String.join("; ", missing);
    }
}
