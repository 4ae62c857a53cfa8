package dev.weft.builtin;

import dev.weft.node.Credentials;
import java.util.List;
import java.util.Optional;

/** What the media nodes' tests share: the stored credentials they name and the services the nodes run on. */
final class MediaNodes {

    /** The largest file the nodes under test may keep or read. */
    static final long FILE_MAX = 1 << 20;

    /** openai: the fake's key; wrong: a key it refuses; openai-only: the key, bound to api.openai.com. */
    static final Credentials VAULT = name -> switch (name) {
        case "openai" -> Optional.of(new Credentials.Credential(FakeOpenAiMedia.KEY, List.of()));
        case "wrong" -> Optional.of(new Credentials.Credential("sk-wrong-0123456789", List.of()));
        case "openai-only" -> Optional.of(new Credentials.Credential(FakeOpenAiMedia.KEY, List.of("api.openai.com")));
        default -> Optional.empty();
    };

    private MediaNodes() {}

    /** Loopback allowed (the fake is there), the credentials above, {@code files} as the file store. */
    static BuiltinNodes.Services services(FileSink files) {
        return BuiltinNodes.Services.of(new HttpNode.Options(true, 1 << 20, 5)).withCredentials(VAULT)
                .withFiles(files, FILE_MAX);
    }
}
