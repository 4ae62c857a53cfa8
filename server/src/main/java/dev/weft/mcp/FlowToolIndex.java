package dev.weft.mcp;

import dev.weft.auth.Caller;
import dev.weft.store.FlowRecord;
import dev.weft.store.JdbcFlowStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The flows offered as MCP tools: for each flow, its latest published version when that version turns
 * {@code mcp_tool} on. {@code tools/list} reads the flows afresh (one query; a version's tool is made once, since
 * published versions never change). {@code tools/call} finds the tool in the last list read and checks that its
 * version is still the flow's latest (the execute path's own read, kept in memory on the embedded database), reading
 * afresh when it is not; a name not found is looked for afresh at most once per {@link #MISS_REREAD}. Tool names are
 * unique: when two flows choose one name, the flow with the lower id keeps it and the other's gets {@code _<flow id>}
 * appended.
 */
public final class FlowToolIndex {

    /** How often a {@code tools/call} of a name the last read did not have may read the flows again. */
    public static final Duration MISS_REREAD = Duration.ofSeconds(1);

    private record Snapshot(Map<String, FlowTool> byName, long readAtMillis) {}

    private record VersionKey(long flowId, int version) {}

    private final JdbcFlowStore flows;
    private final Clock clock;
    private final Map<VersionKey, Optional<FlowTool>> made = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot;

    public FlowToolIndex(JdbcFlowStore flows, Clock clock) {
        this.flows = flows;
        this.clock = clock;
    }

    /** The tools {@code caller} may call, in flow order, as published now. */
    public List<FlowTool> visibleTo(Caller caller) {
        List<FlowTool> visible = new ArrayList<>();
        for (FlowTool tool : reread().values()) if (allowed(caller, tool)) visible.add(tool);
        return visible;
    }

    /** The tool named {@code name}, at its flow's latest published version, if {@code caller} may call it. */
    public Optional<FlowTool> find(String name, Caller caller) {
        Snapshot seen = snapshot;
        FlowTool tool = seen == null ? null : seen.byName().get(name);
        if (tool != null && !latest(tool)) {
            tool = reread().get(name);
        } else if (tool == null && (seen == null || clock.millis() - seen.readAtMillis() >= MISS_REREAD.toMillis())) {
            tool = reread().get(name);
        }
        return tool != null && allowed(caller, tool) ? Optional.of(tool) : Optional.empty();
    }

    private boolean latest(FlowTool tool) {
        return flows.latestVersionNumber(tool.flowId()).flatMap(v -> v).map(v -> v == tool.version()).orElse(false);
    }

    /** Only a flow of the caller's workspace (a flow never moves: its workspace is kept in memory once read). */
    private boolean allowed(Caller caller, FlowTool tool) {
        java.util.OptionalLong workspace = flows.workspaceOf(tool.flowId());
        if (workspace.isEmpty() || !caller.sees(workspace.getAsLong())) return false;
        return caller.key() == null || caller.key().flowIds() == null || caller.key().flowIds().contains(tool.flowId());
    }

    private Map<String, FlowTool> reread() {
        Snapshot read = new Snapshot(read(), clock.millis());
        snapshot = read;
        return read.byName();
    }

    private Map<String, FlowTool> read() {
        Map<String, FlowTool> byName = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (FlowRecord flow : flows.list()) {
            if (flow.latestVersion() == null) continue;
            Optional<FlowTool> tool = made.computeIfAbsent(new VersionKey(flow.id(), flow.latestVersion()),
                    key -> flows.version(key.flowId(), key.version())
                            .map(v -> FlowTool.of(v.flowId(), v.version(), v.document())));
            if (tool.isEmpty()) continue;
            FlowTool named = tool.get();
            if (!taken.add(named.name())) {
                String suffix = "_" + flow.id();
                String base = named.name().length() + suffix.length() > 128
                        ? named.name().substring(0, 128 - suffix.length()) : named.name();
                named = named.named(base + suffix);
                taken.add(named.name());
            }
            byName.put(named.name(), named);
        }
        return byName;
    }

}
