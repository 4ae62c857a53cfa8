package dev.weft.manage;

import dev.weft.http.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.store.kb.KbDocument;
import dev.weft.store.kb.KnowledgeBase;
import dev.weft.kb.Search;
import dev.weft.kb.embed.LocalEmbedder;
import dev.weft.kb.index.SearchQuery;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Reads the knowledge-base API's request bodies, refusing each bad field by its path. */
final class KbRequests {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final int DESCRIPTION_MAX_CHARS = 500;
    static final int NAME_MAX_CHARS = 255;
    static final int DIMENSION_MAX = 4096;
    static final int CHUNK_TOKENS_MIN = 16;
    static final int CHUNK_TOKENS_MAX = 2048;

    private final Predicate<String> credentialExists;

    KbRequests(Predicate<String> credentialExists) {
        this.credentialExists = credentialExists;
    }

    KnowledgeBase.New knowledgeBase(ObjectNode body) {
        String name = text(body, "name", true, 100);
        if (!NAME.matcher(name).matches()) {
            throw invalid("name", "is required: 1 to 100 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        String description = text(body, "description", false, DESCRIPTION_MAX_CHARS);
        return new KnowledgeBase.New(name, description, embedding(body.get("embedding")), chunking(body.get("chunking")));
    }

    private KnowledgeBase.Embedding embedding(JsonNode e) {
        if (e == null || e.isNull()) {
            return new KnowledgeBase.Embedding(KnowledgeBase.Embedding.Provider.LOCAL, LocalEmbedder.MODEL,
                    LocalEmbedder.DIMENSION, null, null);
        }
        if (!e.isObject()) throw invalid("embedding", "must be an object: {\"provider\": \"local\"} or {\"provider\": "
                + "\"openai\", \"url\": ..., \"model\": ..., \"dimension\": ..., \"credential\": ...}");
        ObjectNode o = (ObjectNode) e;
        String provider = text(o, "provider", "embedding.provider", false, 20);
        if (provider == null || provider.equals("local")) {
            String model = text(o, "model", "embedding.model", false, 100);
            if (model != null && !model.equals(LocalEmbedder.MODEL)) {
                throw invalid("embedding.model", "the local provider has one model: " + LocalEmbedder.MODEL);
            }
            JsonNode dimension = o.get("dimension");
            if (dimension != null && !dimension.isNull() && dimension.asInt() != LocalEmbedder.DIMENSION) {
                throw invalid("embedding.dimension", "the local model's vectors have " + LocalEmbedder.DIMENSION + " dimensions");
            }
            return new KnowledgeBase.Embedding(KnowledgeBase.Embedding.Provider.LOCAL, LocalEmbedder.MODEL,
                    LocalEmbedder.DIMENSION, null, null);
        }
        if (!provider.equals("openai")) throw invalid("embedding.provider", "must be local or openai (any "
                + "OpenAI-compatible /embeddings endpoint: OpenAI, Ollama, vLLM, LM Studio)");
        String url = text(o, "url", "embedding.url", true, 2000);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException bad) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw invalid("embedding.url", "must be an absolute http(s) URL such as https://api.openai.com/v1 "
                    + "(Weft posts to its /embeddings)");
        }
        String model = text(o, "model", "embedding.model", true, 200);
        JsonNode dimension = o.get("dimension");
        if (dimension == null || !dimension.isInt() || dimension.asInt() < 1 || dimension.asInt() > DIMENSION_MAX) {
            throw invalid("embedding.dimension", "is required: the model's vector size, 1 to " + DIMENSION_MAX
                    + " (1536 for text-embedding-3-small)");
        }
        String credential = text(o, "credential", "embedding.credential", false, 100);
        if (credential != null && !credentialExists.test(credential)) {
            throw invalid("embedding.credential", "no stored credential is named '" + credential
                    + "' (add it with POST /api/v1/credentials)");
        }
        return new KnowledgeBase.Embedding(KnowledgeBase.Embedding.Provider.OPENAI, model, dimension.asInt(),
                url.replaceAll("/+$", ""), credential);
    }

    private static KnowledgeBase.Chunking chunking(JsonNode c) {
        if (c == null || c.isNull()) return KnowledgeBase.Chunking.DEFAULT;
        if (!c.isObject()) throw invalid("chunking", "must be an object {\"tokens\": 256, \"overlap\": 32}");
        int tokens = integer(c, "tokens", KnowledgeBase.Chunking.DEFAULT.tokens(), CHUNK_TOKENS_MIN, CHUNK_TOKENS_MAX);
        JsonNode overlap = c.get("overlap");
        int over = overlap == null || overlap.isNull() ? Math.min(KnowledgeBase.Chunking.DEFAULT.overlap(), tokens / 4)
                : integer(c, "overlap", 0, 0, tokens / 2 - 1);
        return new KnowledgeBase.Chunking(tokens, over);
    }

    private static int integer(JsonNode o, String field, int fallback, int min, int max) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isInt() || v.asInt() < min || v.asInt() > max) {
            throw invalid("chunking." + field, "must be an integer from " + min + " to " + max);
        }
        return v.asInt();
    }

    KbDocument.New textDocument(ObjectNode body, long maxBytes) {
        String name = cleanName(text(body, "name", true, NAME_MAX_CHARS));
        if (name.isEmpty()) throw invalid("name", "is required: the document's name");
        JsonNode text = body.get("text");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            throw invalid("text", "is required: the document's text (or upload a file as multipart form field file)");
        }
        byte[] bytes = text.asText().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) throw invalid("text", "has " + bytes.length + " bytes; at most " + maxBytes);
        String mediaType = text(body, "media_type", false, 100);
        if (mediaType == null) mediaType = name.toLowerCase().endsWith(".md") ? "text/markdown" : "text/plain";
        if (!List.of("text/plain", "text/markdown", "text/html", "text/csv").contains(mediaType)) {
            throw invalid("media_type", "must be text/plain, text/markdown, text/html or text/csv for a text document");
        }
        return new KbDocument.New(name, mediaType, bytes, metadata(body.get("metadata"), "metadata"));
    }

    Map<String, String> metadata(JsonNode m, String field) {
        if (m == null || m.isNull()) return Map.of();
        if (!m.isObject() || m.size() > KnowledgeBasesApi.METADATA_MAX) {
            throw invalid(field, "must be an object of at most " + KnowledgeBasesApi.METADATA_MAX + " string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!METADATA_KEY.matcher(e.getKey()).matches() || e.getKey().equals("document_id")) {
                throw invalid(field + "." + e.getKey(), "keys are 1 to 64 letters, digits, '_', '.' or '-' "
                        + "(document_id is reserved)");
            }
            JsonNode v = e.getValue();
            if (!(v.isTextual() || v.isNumber() || v.isBoolean())
                    || v.asText().length() > KnowledgeBasesApi.METADATA_VALUE_MAX_CHARS) {
                throw invalid(field + "." + e.getKey(), "must be a string (or number, boolean) of at most "
                        + KnowledgeBasesApi.METADATA_VALUE_MAX_CHARS + " characters");
            }
            out.put(e.getKey(), v.asText());
        }
        return out;
    }

    Search search(ObjectNode body) {
        JsonNode query = body.get("query");
        if (query == null || !query.isTextual() || query.asText().isBlank()) {
            throw invalid("query", "is required: the text to search for");
        }
        if (query.asText().length() > Search.QUERY_MAX_CHARS) {
            throw invalid("query", "has " + query.asText().length() + " characters; at most " + Search.QUERY_MAX_CHARS);
        }
        JsonNode topK = body.get("top_k");
        int k = SearchQuery.TOP_K_DEFAULT;
        if (topK != null && !topK.isNull()) {
            if (!topK.isInt() || topK.asInt() < 1 || topK.asInt() > SearchQuery.TOP_K_MAX) {
                throw invalid("top_k", "must be an integer from 1 to " + SearchQuery.TOP_K_MAX);
            }
            k = topK.asInt();
        }
        double vector = 1;
        double text = 1;
        JsonNode weights = body.get("weights");
        if (weights != null && !weights.isNull()) {
            if (!weights.isObject()) throw invalid("weights", "must be an object {\"vector\": 1, \"text\": 1}");
            vector = weight(weights, "vector");
            text = weight(weights, "text");
            if (vector + text == 0) throw invalid("weights", "the vector and text weights cannot both be 0");
        }
        JsonNode min = body.get("min_score");
        double minScore = 0;
        if (min != null && !min.isNull()) {
            if (!min.isNumber() || min.asDouble() < 0 || min.asDouble() > 1) {
                throw invalid("min_score", "must be a number from 0 to 1 (1: first in every list)");
            }
            minScore = min.asDouble();
        }
        String model = text(body, "model", false, 200);
        return new Search(query.asText(), k, filters(body.get("filters")), vector, text, minScore, model);
    }

    private static double weight(JsonNode weights, String field) {
        JsonNode w = weights.get(field);
        if (w == null || w.isNull()) return 1;
        if (!w.isNumber() || w.asDouble() < 0 || w.asDouble() > 100) {
            throw invalid("weights." + field, "must be a number from 0 to 100");
        }
        return w.asDouble();
    }

    private static Map<String, List<String>> filters(JsonNode f) {
        if (f == null || f.isNull()) return Map.of();
        if (!f.isObject()) throw invalid("filters", "must be an object: {\"key\": \"value\"} or {\"key\": [\"a\", \"b\"]}");
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> values = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isArray() && !v.isEmpty() && v.size() <= 100) {
                for (JsonNode item : v) {
                    if (!(item.isTextual() || item.isNumber() || item.isBoolean())) values = null;
                    else if (values != null) values.add(item.asText());
                }
            } else if (v.isTextual() || v.isNumber() || v.isBoolean()) {
                values.add(v.asText());
            } else {
                values = null;
            }
            if (values == null) {
                throw invalid("filters." + e.getKey(), "must be a value or a list of 1 to 100 values");
            }
            out.put(e.getKey(), values);
        }
        return out;
    }

    private static String text(JsonNode body, String field, boolean required, int max) {
        return text(body, field, field, required, max);
    }

    private static String text(JsonNode body, String field, String path, boolean required, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) throw invalid(path, "is required");
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > max) {
            throw invalid(path, "must be a non-empty string of at most " + max + " characters");
        }
        return v.asText();
    }

    /** The last path segment of a name, without control characters, at most 255 characters. */
    static String cleanName(String name) {
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        base = base.replaceAll("\\p{Cntrl}", "").trim();
        return base.length() > NAME_MAX_CHARS ? base.substring(0, NAME_MAX_CHARS) : base;
    }

    private static ApiException invalid(String field, String detail) {
        return new ApiException(ApiException.Kind.INVALID_INPUT, field, detail);
    }
}
