package dev.weft.kb.embed;

import dev.weft.store.kb.KnowledgeBase;
import java.net.http.HttpClient;
import java.time.Duration;

/** The embedder of a knowledge base, from what the KB records: one local model shared by all, or a provider. */
public final class Embedders {

    private final Embedder local;
    private final HttpClient client;
    private final SecretSource secrets;
    private final OpenAiEmbedder.Sleeper sleeper;

    /** {@code local} runs the KBs of provider {@code local} (the shipped model, or a stand-in in tests). */
    public Embedders(Embedder local, HttpClient client, SecretSource secrets, OpenAiEmbedder.Sleeper sleeper) {
        this.local = local;
        this.client = client;
        this.secrets = secrets;
        this.sleeper = sleeper;
    }

    /** With the JDK's HTTP client and real sleeps. */
    public static Embedders create(SecretSource secrets) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new Embedders(new LocalEmbedder(), client, secrets, wait -> Thread.sleep(wait.toMillis()));
    }

    public Embedder of(KnowledgeBase kb) {
        KnowledgeBase.Embedding e = kb.embedding();
        return switch (e.provider()) {
            case LOCAL -> local;
            case OPENAI -> new OpenAiEmbedder(client, e.url(), e.model(), e.dimension(), e.credential(),
                    (credential, host) -> secrets.secretFor(kb.id(), credential, host), sleeper);
        };
    }
}
