package dev.weft.manage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.store.FlowRecord;
import dev.weft.store.FlowVersion;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.McpServerRecord;
import dev.weft.store.WebhookRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Which flows name each stored credential: the published versions (any of which a run may pin, so a credential
 * they name must not be deleted) and the drafts (a warning only). A node names a credential by a setting called
 * {@code credential} at any depth: {@code llm.credential}, {@code http.auth.credential}, an agent tool's. Stored MCP
 * servers name credentials too, as the values of their headers, and live webhooks as the shared secret of their
 * signature check ({@code signature.secret_credential}).
 */
public final class CredentialUsage {

    /** One flow's use of a credential: the published versions that name it, and whether its draft does. */
    public record Use(long flowId, String flowName, List<Integer> versions, boolean draft) {}

    private static final String SETTING = "credential";

    private final JdbcFlowStore flows;
    private final java.util.function.LongFunction<List<McpServerRecord>> mcpServers;
    private final Supplier<List<WebhookRecord>> webhooks;

    public CredentialUsage(JdbcFlowStore flows, java.util.function.LongFunction<List<McpServerRecord>> mcpServers,
                           Supplier<List<WebhookRecord>> webhooks) {
        this.flows = flows;
        this.mcpServers = mcpServers;
        this.webhooks = webhooks;
    }

    /**
     * Credential name to the live webhooks of workspace {@code workspaceId}'s flows whose signature check uses its secret, each as {@code flow <id> '<name>'};
     * a revoked webhook does not count (it starts nothing, and rotating it back would be refused if the credential
     * were gone when it checks a delivery: it answers 401 and logs why).
     */
    public Map<String, List<String>> webhooks(long workspaceId) {
        Set<Long> own = new HashSet<>();
        for (FlowRecord flow : flows.list(workspaceId)) own.add(flow.id());
        Map<String, List<String>> uses = new HashMap<>();
        for (WebhookRecord hook : webhooks.get()) {
            if (!own.contains(hook.flowId())) continue;   // another workspace's flow: its credentials are its own
            String credential = hook.settings().path("signature").path("secret_credential").asText("");
            if (credential.isBlank()) continue;
            uses.computeIfAbsent(credential, c -> new ArrayList<>())
                    .add("'" + hook.name() + "' of flow " + hook.flowId());
        }
        return uses;
    }

    /** Credential name to workspace {@code workspaceId}'s MCP servers whose headers send its secret, by name. */
    public Map<String, List<String>> mcpServers(long workspaceId) {
        Map<String, List<String>> uses = new HashMap<>();
        for (McpServerRecord server : mcpServers.apply(workspaceId)) {
            for (String credential : new TreeSet<>(server.headers().values())) {
                uses.computeIfAbsent(credential, c -> new ArrayList<>()).add(server.name());
            }
        }
        return uses;
    }

    /** Credential name to its uses by the flows of workspace {@code workspaceId} (whose credentials they name). */
    public Map<String, List<Use>> all(long workspaceId) {
        return all(flows.list(workspaceId));
    }

    /** The uses of {@code credential} by the flows of workspace {@code workspaceId}. */
    public List<Use> of(long workspaceId, String credential) {
        return all(workspaceId).getOrDefault(credential, List.of());
    }

    private Map<String, List<Use>> all(List<FlowRecord> live) {
        Map<Long, String> names = new LinkedHashMap<>();
        Map<String, Map<Long, Set<Integer>>> versions = new HashMap<>();
        Map<String, Set<Long>> drafts = new HashMap<>();
        for (FlowRecord flow : live) {
            names.put(flow.id(), flow.name());
            for (String name : named(flow.draft())) drafts.computeIfAbsent(name, n -> new TreeSet<>()).add(flow.id());
        }
        for (FlowVersion version : flows.liveVersions()) {
            for (String name : named(version.document())) {
                versions.computeIfAbsent(name, n -> new HashMap<>())
                        .computeIfAbsent(version.flowId(), id -> new TreeSet<>()).add(version.version());
            }
        }
        Map<String, List<Use>> uses = new HashMap<>();
        Set<String> credentials = new TreeSet<>(versions.keySet());
        credentials.addAll(drafts.keySet());
        for (String credential : credentials) {
            Map<Long, Set<Integer>> published = versions.getOrDefault(credential, Map.of());
            Set<Long> inDraft = drafts.getOrDefault(credential, Set.of());
            Set<Long> ids = new TreeSet<>(published.keySet());
            ids.addAll(inDraft);
            List<Use> list = new ArrayList<>();
            for (long id : ids) {
                if (!names.containsKey(id)) continue;
                list.add(new Use(id, names.get(id), List.copyOf(published.getOrDefault(id, Set.of())),
                        inDraft.contains(id)));
            }
            uses.put(credential, list);
        }
        return uses;
    }

    /** The credential names a flow document's nodes give. */
    static Set<String> named(JsonNode document) {
        Set<String> names = new TreeSet<>();
        for (JsonNode node : document.path("nodes")) collect(node.path("settings"), names);
        return names;
    }

    private static void collect(JsonNode value, Set<String> names) {
        if (value.isObject()) {
            value.fields().forEachRemaining(field -> {
                if (field.getKey().equals(SETTING) && field.getValue().isTextual() && !field.getValue().asText().isBlank()) {
                    names.add(field.getValue().asText());
                } else {
                    collect(field.getValue(), names);
                }
            });
        } else if (value.isArray()) {
            value.forEach(item -> collect(item, names));
        }
    }
}
