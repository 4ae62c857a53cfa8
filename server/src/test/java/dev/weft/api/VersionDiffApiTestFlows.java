package dev.weft.api;

/** Flow documents the versions and credentials tests share (API and browser). */
public final class VersionDiffApiTestFlows {

    /** Version 2 of hello: another greeting, and a "shout" node between greet and end. */
    public static final String V2 = VersionDiffApiTest.V2;

    /** An llm node with no credential chosen yet. */
    public static final String LLM = """
            {"name": "Ask", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string", "required": true}}}},
              {"id": "ask", "type": "llm", "settings": {"provider": "openai", "model": "gpt-4o-mini", "user": "{{q}}"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"answer": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "ask", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
              {"from_node": "ask", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "answer"}]}]}
            """;

    private VersionDiffApiTestFlows() {}

    /** A flow whose http node calls {@code url} with {@code credential} as its auth. */
    public static String fetching(String url, String credential) {
        return TypedCredentialsApiTest.fetching(url, credential);
    }
}
