package dev.weft.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON that comes from outside (request bodies) strictly: well-formed UTF-8 only (no overlong forms, no
 * encoded surrogates), one value and nothing after it, no unpaired surrogate escapes in strings or names, and
 * every number inside the range of a double. Nesting is bounded by Jackson's own limit (1,000 levels); the checks
 * after parsing walk the tree with a stack of their own, so depth costs no thread stack.
 */
public final class StrictJson {

    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Why a text was refused: its syntax or encoding, or a value outside what Weft can hold. */
    public enum Reason { MALFORMED, OUT_OF_RANGE }

    /** A refusal naming the place at fault: {@code body} for syntax and encoding, a value's path otherwise. */
    public static final class Refused extends RuntimeException {
        private final Reason reason;
        private final String field;

        Refused(Reason reason, String field, String message) {
            super(message);
            this.reason = reason;
            this.field = field;
        }

        public Reason reason() {
            return reason;
        }

        public String field() {
            return field;
        }
    }

    private StrictJson() {}

    /** Parses {@code bytes} as one JSON value, or throws {@link Refused} saying where and why. */
    public static JsonNode parse(byte[] bytes) {
        String text = decode(bytes);
        JsonNode value;
        try {
            value = READER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            // Jackson's message may end with where an unclosed array or object began, in its own source notation
            String reason = e.getOriginalMessage().replaceFirst("\\s*\\(start marker at \\[Source:.*$", "");
            throw new Refused(Reason.MALFORMED, "body", "the body is not valid JSON" + where + ": " + reason);
        } catch (IOException e) {
            throw new Refused(Reason.MALFORMED, "body", "the body could not be read");
        }
        if (value == null || value.isMissingNode()) throw new Refused(Reason.MALFORMED, "body", "the body is empty");
        check(value);
        return value;
    }

    /** UTF-8 to text with the JDK's strict decoder, naming the byte offset of the first invalid sequence. */
    private static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new Refused(Reason.MALFORMED, "body", "the body is not valid UTF-8 (byte " + in.position()
                    + " starts an invalid, overlong or surrogate sequence)");
        }
        decoder.flush(out);
        out.flip();
        if (out.hasRemaining() && out.get(0) == '\uFEFF') out.position(1);   // a byte order mark is allowed and skipped
        return out.toString();
    }

    /** Walks every value: names and strings must be whole UTF-16, numbers finite as doubles. */
    private static void check(JsonNode root) {
        record Pending(JsonNode value, String path) {}
        Deque<Pending> todo = new ArrayDeque<>(List.of(new Pending(root, "")));
        while (!todo.isEmpty()) {
            Pending next = todo.pop();
            JsonNode value = next.value();
            if (value.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    String path = next.path().isEmpty() ? field.getKey() : next.path() + "." + field.getKey();
                    if (!wholeUtf16(field.getKey())) {
                        throw new Refused(Reason.MALFORMED, "body", "a name at '" + next.path()
                                + "' has an unpaired surrogate escape (\\ud800-\\udfff)");
                    }
                    todo.push(new Pending(field.getValue(), path));
                }
            } else if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) todo.push(new Pending(value.get(i), next.path() + "[" + i + "]"));
            } else if (value.isTextual() && !wholeUtf16(value.textValue())) {
                throw new Refused(Reason.MALFORMED, field(next.path()), "has an unpaired surrogate escape"
                        + " (\\ud800-\\udfff), which is not text");
            } else if (value.isNumber() && !Double.isFinite(value.doubleValue())) {
                throw new Refused(Reason.OUT_OF_RANGE, field(next.path()), "the number is outside the range of a"
                        + " double (about ±1.8e308)");
            }
        }
    }

    private static String field(String path) {
        return path.isEmpty() ? "body" : path;
    }

    private static boolean wholeUtf16(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
