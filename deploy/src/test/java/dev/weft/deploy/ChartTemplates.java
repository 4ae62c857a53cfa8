package dev.weft.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the chart's templates for the tests, since no Helm binary (nor a Go-template engine) can be installed
 * here: the small subset of Go templates the chart keeps to, with Go's meaning. Actions: {@code .Values.a.b},
 * {@code .Release.Name}, {@code .Chart.Name}/{@code .Chart.AppVersion}; the pipes {@code | quote}; the function
 * {@code required "message" .Values.x}; {@code if X}, {@code if not X}, {@code else}, {@code end}; {@code {{-} and
 * {@code -}}} trim the whitespace beside them. Anything else fails the render, so the chart cannot use a construct
 * these tests would not check, and so does printing a value that is not set (Helm would print nothing).
 */
final class ChartTemplates {

    private static final Pattern ACTION = Pattern.compile("\\{\\{(-?)\\s*(.*?)\\s*(-?)}}", Pattern.DOTALL);
    private static final Pattern REQUIRED = Pattern.compile("required\\s+\"([^\"]*)\"\\s+(\\S+)");

    private final Map<String, Object> scope;

    /** @param scope the template's root: {@code Values}, {@code Release} and {@code Chart} maps */
    ChartTemplates(Map<String, Object> scope) {
        this.scope = scope;
    }

    /** The text {@code template} renders to. */
    String render(String template) {
        List<Object> parts = new ArrayList<>();   // String text, or String[] {action}
        Matcher m = ACTION.matcher(template);
        int at = 0;
        while (m.find()) {
            String text = template.substring(at, m.start());
            if (!m.group(1).isEmpty()) text = text.stripTrailing();
            parts.add(text);
            parts.add(new String[] {m.group(2), m.group(3)});
            at = m.end();
        }
        parts.add(template.substring(at));
        // a right trim removes the whitespace at the start of the text after the action
        for (int i = 1; i < parts.size(); i += 2) {
            if (!((String[]) parts.get(i))[1].isEmpty()) parts.set(i + 1, ((String) parts.get(i + 1)).stripLeading());
        }
        StringBuilder out = new StringBuilder();
        int end = block(parts, 0, true, out);
        if (end != parts.size()) throw new IllegalArgumentException("unexpected {{ " + action(parts, end) + " }}");
        return out.toString();
    }

    /** Renders parts from {@code i} until an unmatched else/end (whose index it returns) or the end. */
    private int block(List<Object> parts, int i, boolean emit, StringBuilder out) {
        while (i < parts.size()) {
            if (i % 2 == 0) {
                if (emit) out.append((String) parts.get(i));
                i++;
                continue;
            }
            String action = action(parts, i);
            if (action.equals("end") || action.equals("else")) return i;
            if (action.startsWith("if ")) {
                boolean test = truthy(condition(action.substring(3).trim()));
                int next = block(parts, i + 1, emit && test, out);
                if (action(parts, next).equals("else")) next = block(parts, next + 1, emit && !test, out);
                if (!action(parts, next).equals("end")) throw new IllegalArgumentException("{{ " + action + " }} has no end");
                i = next + 1;
                continue;
            }
            if (emit) out.append(value(action));
            i++;
        }
        return i;
    }

    private static String action(List<Object> parts, int i) {
        if (i >= parts.size()) return "";
        return ((String[]) parts.get(i))[0];
    }

    private Object condition(String expression) {
        if (expression.startsWith("not ")) return !truthy(lookup(expression.substring(4).trim()));
        return lookup(expression);
    }

    private String value(String action) {
        String[] pipeline = action.split("\\|");
        Object value;
        Matcher required = REQUIRED.matcher(pipeline[0].trim());
        if (required.matches()) {
            value = lookup(required.group(2));
            if (!truthy(value)) throw new IllegalArgumentException(required.group(1));
        } else {
            value = lookup(pipeline[0].trim());
            // Helm prints nothing for a missing value; here it is a mistake (a misspelt key) and fails the render
            if (value == null) throw new IllegalArgumentException("no value for " + pipeline[0].trim());
        }
        String text = String.valueOf(value);
        for (int p = 1; p < pipeline.length; p++) {
            String function = pipeline[p].trim();
            if (!function.equals("quote")) throw new IllegalArgumentException("unknown function " + function);
            text = "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return text;
    }

    private Object lookup(String path) {
        if (!path.startsWith(".") || path.length() < 2) throw new IllegalArgumentException("unknown action " + path);
        Object at = scope;
        for (String key : path.substring(1).split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) throw new IllegalArgumentException(path + ": " + key + " is not in a map");
            at = map.get(key);
        }
        return at;
    }

    private static boolean truthy(Object value) {
        if (value == null) return false;
        if (value instanceof Boolean b) return b;
        if (value instanceof Number n) return n.doubleValue() != 0;
        if (value instanceof String s) return !s.isEmpty();
        if (value instanceof Map<?, ?> map) return !map.isEmpty();
        if (value instanceof List<?> list) return !list.isEmpty();
        return true;
    }
}
