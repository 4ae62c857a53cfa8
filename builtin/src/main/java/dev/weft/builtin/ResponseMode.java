package dev.weft.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How the {@code http} node reads an answer's body: {@code auto} parses JSON when the content type says JSON
 * ({@code application/json}, {@code application/problem+json}) and keeps anything else as text; {@code json} and
 * {@code text} insist. An empty body is null as JSON and "" as text.
 */
enum ResponseMode {
    AUTO, JSON, TEXT;

    /** The error type of a body that {@code response: "json"} required to be JSON and is not. */
    static final String NOT_JSON = "response_not_json";

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ResponseMode> named(String id) {
        return Arrays.stream(values()).filter(m -> m.id().equals(id)).findFirst();
    }

    JsonNode read(byte[] body, Optional<String> contentType, Hop hop) {
        boolean json = this == JSON || (this == AUTO && contentType.map(ResponseMode::isJson).orElse(false));
        if (!json) return JsonNodeFactory.instance.textNode(text(body, contentType));
        if (body.length == 0) return JsonNodeFactory.instance.nullNode();
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            if (this == AUTO) return JsonNodeFactory.instance.textNode(text(body, contentType));
            throw new NodeException(NOT_JSON, hop.display() + " answered a body that is not JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), false);
        }
    }

    static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }

    /** The body as text in the charset its content type names, UTF-8 when it names none or an unknown one. */
    static String text(byte[] body, Optional<String> contentType) {
        Charset charset = StandardCharsets.UTF_8;
        for (String parameter : contentType.orElse("").split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                try {
                    charset = Charset.forName(pair[1].trim().replace("\"", ""));
                } catch (IllegalArgumentException e) {
                    // an unknown charset: UTF-8 is the best guess
                }
            }
        }
        return new String(body, charset);
    }
}
