package dev.weft.ui;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first command of a curl snippet as a shell would read it (single quotes, backslash escapes and line
 * continuations), turned into the same HTTP request: what a user pasting the Publish dialog's snippet sends.
 */
record CurlCommand(String method, String url, Map<String, String> headers, String body) {

    static CurlCommand parse(String snippet) {
        String command = snippet.split("\n#", 2)[0].replace("\\\n", " ");
        List<String> words = words(command);
        if (words.isEmpty() || !words.get(0).equals("curl")) throw new IllegalArgumentException("not a curl command: " + command);
        String method = "GET";
        String url = null;
        String body = null;
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            switch (word) {
                case "-X" -> method = words.get(++i);
                case "-H" -> {
                    String[] header = words.get(++i).split(":\\s*", 2);
                    headers.put(header[0], header[1]);
                }
                case "-d" -> {
                    body = words.get(++i);
                    if (method.equals("GET")) method = "POST";
                }
                default -> {
                    if (word.startsWith("-")) throw new IllegalArgumentException("unexpected curl option " + word);
                    url = word;
                }
            }
        }
        return new CurlCommand(method, url, headers, body);
    }

    /** The request, with {@code from} replaced by {@code to} in the headers (the key placeholder by a key). */
    HttpRequest request(String from, String to) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach((name, value) -> request.header(name, value.replace(from, to)));
        return request.build();
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (word != null) words.add(word.toString());
                word = null;
                continue;
            }
            if (word == null) word = new StringBuilder();
            if (c == '\'') {
                int close = text.indexOf('\'', i + 1);
                word.append(text, i + 1, close);
                i = close;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
            } else {
                word.append(c);
            }
        }
        if (word != null) words.add(word.toString());
        return words;
    }
}
