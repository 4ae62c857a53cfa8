package dev.weft.builtin;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed JSONata expressions, kept per worker thread and per expression text, the least recently used dropped
 * past a bound: the same flow runs thousands of times and parsing costs far more than evaluating.
 *
 * <p>Per thread because a parsed {@link Jsonata} of com.dashjoin:jsonata 0.9.10 is not safe to share: evaluating
 * keeps its input and environment in fields of "the thread's current instance" (a static {@code ThreadLocal} set
 * by whichever instance that thread parsed last, dashjoin/jsonata-java#93), and a top-level evaluation reads the
 * instance's environment while another thread may have swapped it. An instance used only by the thread that
 * parsed it never meets another thread's state.
 */
final class ParsedExpressions {

    static final int PER_THREAD_DEFAULT = 256;

    private final ThreadLocal<Map<String, Jsonata>> byThread;

    ParsedExpressions(int perThread) {
        this.byThread = ThreadLocal.withInitial(() -> new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Jsonata> eldest) {
                return size() > perThread;
            }
        });
    }

    /** The parsed expression; throws {@link JException} with the parser's message when it does not parse. */
    Jsonata get(String expression) {
        Map<String, Jsonata> cache = byThread.get();
        Jsonata parsed = cache.get(expression);
        if (parsed == null) {
            parsed = Jsonata.jsonata(expression);
            cache.put(expression, parsed);
        }
        return parsed;
    }
}
