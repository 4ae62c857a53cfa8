package dev.weft.server;

import dev.weft.manage.KnowledgeBasesApi;
import dev.weft.kb.KnowledgeBases;
import dev.weft.kb.Reranker;
import dev.weft.kb.embed.Embedders;
import dev.weft.kb.embed.EmbeddingException;
import dev.weft.kb.parse.ParseLimits;
import dev.weft.auth.Callers;
import dev.weft.node.Credentials;
import dev.weft.store.Database;
import dev.weft.store.JdbcCredentialStore;
import io.javalin.config.RoutesConfig;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Knowledge bases wired into a server: the service (ingest in processes that run tasks, index sync in those that
 * serve the API), embedding secrets from the credential store, and the admin-scoped routes. Kept apart from
 * {@link WeftServer} so that its wiring stays two lines.
 */
final class KnowledgeWiring {

    private KnowledgeWiring() {}

    static KnowledgeBases start(Database database, Path dataDir, Clock clock, String owner,
                                JdbcCredentialStore credentials, Role role) {
        dev.weft.store.JdbcWorkspaceOf workspaces = new dev.weft.store.JdbcWorkspaceOf(database);
        Embedders embedders = Embedders.create(new dev.weft.kb.embed.SecretSource() {
            @Override
            public String secretFor(String name, String host) throws EmbeddingException {
                return secret(credentials.find(name), name, host);
            }

            @Override   // the credential of that name in the KB's own workspace
            public String secretFor(long kbId, String name, String host) throws EmbeddingException {
                long workspace = workspaces.knowledgeBase(kbId).orElse(Database.DEFAULT_WORKSPACE);
                return secret(credentials.in(workspace).find(name), name, host);
            }
        });
        KnowledgeBases knowledge = new KnowledgeBases(new KnowledgeBases.Parts(database, dataDir, clock, owner,
                embedders, ParseLimits.DEFAULT, Reranker.NONE));
        if (role.runsTasks()) knowledge.startIngest();
        if (role.servesApi()) knowledge.startIndexSync();
        return knowledge;
    }

    /** The token to send to {@code host}, or why there is none. */
    private static String secret(java.util.Optional<Credentials.Credential> found, String name, String host)
            throws EmbeddingException {
        Credentials.Credential credential = found.orElseThrow(() -> new EmbeddingException(
                "no stored credential is named '" + name + "'", false));
        if (!credential.allows(host)) {
            throw new EmbeddingException("credential '" + name + "' may be sent only to "
                    + String.join(", ", credential.hosts()) + ", not to " + host, false);
        }
        if (!credential.type().isToken()) {
            throw new EmbeddingException("credential '" + name + "' is a " + credential.type().id()
                    + " credential; an embedding endpoint needs an api_key or bearer credential", false);
        }
        return credential.secret();
    }

    static void register(RoutesConfig routes, Callers callers, KnowledgeBases knowledge,
                         JdbcCredentialStore credentials, long maxBytes) {
        routes.before("/api/v1/knowledge-bases*", ctx -> callers.require(ctx, Callers.Scope.ADMIN));
        new KnowledgeBasesApi(knowledge,
                (workspace, name) -> credentials.in(workspace).info(name).isPresent(), maxBytes).register(routes);
    }
}
