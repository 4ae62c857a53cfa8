package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.TestNodes;
import dev.weft.flow.Flow;
import dev.weft.registry.NodeRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompiledFlowsTest {

    private final NodeRegistry registry = TestNodes.registry();
    private final Flow flow = Flows.flow().start("start", "x:string").end("end", "out").edge("start", "end", "x -> out")
            .validate(registry);
    private final List<String> reads = new ArrayList<>();
    private final CompiledFlows.Versions versions = (id, version) -> {
        reads.add(id + "/" + version);
        return flow;
    };

    private static CompiledFlows.Key key(long flow, int version) {
        return new CompiledFlows.Key(flow, version, "start", "end", "end");
    }

    @Test
    void a_version_is_read_and_compiled_once_then_served_from_the_cache() {
        CompiledFlows compiled = new CompiledFlows(versions, registry);

        CompiledFlows.Compiled first = compiled.get(key(1, 1));
        CompiledFlows.Compiled again = compiled.get(key(1, 1));

        assertThat(again).isSameAs(first);
        assertThat(reads).containsExactly("1/1");
        assertThat(first.inputs()).extracting(dev.weft.flow.InputField::name).containsExactly("x");
    }

    @Test
    void the_cache_keeps_at_most_its_bound_and_an_evicted_version_is_compiled_again() {
        CompiledFlows compiled = new CompiledFlows(versions, registry, 8);

        for (int version = 1; version <= 100; version++) compiled.get(key(7, version));

        assertThat(compiled.size()).isLessThanOrEqualTo(8);
        assertThat(reads).hasSize(100);
        compiled.get(key(7, 1));   // long gone: read again, not an error
        assertThat(reads).hasSize(101).last().isEqualTo("7/1");
    }
}
