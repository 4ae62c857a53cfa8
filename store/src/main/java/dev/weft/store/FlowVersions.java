package dev.weft.store;

import dev.weft.flow.Flow;
import dev.weft.flow.FlowDocument;
import dev.weft.node.Problems;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Published flow versions, parsed once each: a version never changes, so its parsed document is kept. */
final class FlowVersions {

    private final JdbcFlowStore flows;
    private final Map<String, Flow> parsed = new ConcurrentHashMap<>();

    FlowVersions(JdbcFlowStore flows) {
        this.flows = flows;
    }

    /** The parsed document of a version; {@link NotFoundException} when there is no such version. */
    Flow parsed(long flowId, int version) {
        return parsed.computeIfAbsent(flowId + "/" + version, k -> {
            FlowVersion found = flows.version(flowId, version)
                    .orElseThrow(() -> new NotFoundException("flow " + flowId + " has no version " + version));
            return FlowDocument.parse(found.document(), new Problems());
        });
    }
}
