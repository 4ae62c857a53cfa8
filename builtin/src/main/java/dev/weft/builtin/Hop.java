package dev.weft.builtin;

import dev.weft.node.NodeException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One request of an {@code http} step: the first one its settings describe, or one a redirect leads to.
 * Headers are kept as given, with names compared ignoring case; the body is bytes so that a 307 or 308 can
 * send it again.
 */
record Hop(String method, URI uri, Map<String, String> headers, byte[] body) {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Headers that carry credentials, dropped when a redirect leads to another origin, as browsers do. */
    private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");

    Hop {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    HttpRequest request(Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        // Plain http stays on HTTP/1.1: the client's h2c upgrade attempt confuses some servers. https negotiates.
        if ("http".equalsIgnoreCase(uri.getScheme())) builder.version(HttpClient.Version.HTTP_1_1);
        try {
            headers.forEach(builder::header);
        } catch (IllegalArgumentException e) {
            throw Settings.invalid("headers", e.getMessage());
        }
        return builder.build();
    }

    /** Header names the JDK client refused to send as given; refused here alike, whichever client sends the hop. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /**
     * Checks the headers as the JDK client's request builder does: a restricted name ({@code Host},
     * {@code Content-Length}...), a name that is not an HTTP token or a value with a line break fails with the
     * settings error of {@code headers}.
     */
    void checkHeaders() {
        headers.forEach((name, value) -> {
            if (!token(name)) throw Settings.invalid("headers", "invalid header name: \"" + name + "\"");
            if (RESTRICTED.contains(lower(name))) {
                throw Settings.invalid("headers", "restricted header name: \"" + name + "\"");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                    throw Settings.invalid("headers", "invalid header value for header \"" + name + "\"");
                }
            }
        });
    }

    private static boolean token(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
            if (!ok) return false;
        }
        return true;
    }

    /** The request a redirect answer leads to, or empty when the answer is not a redirect to follow. */
    Optional<Hop> redirect(int status, HttpHeaders answer) {
        Optional<String> location = answer.firstValue("location");
        if (!REDIRECTS.contains(status) || location.isEmpty()) return Optional.empty();
        URI target;
        try {
            target = withoutFragment(uri.resolve(new URI(location.get())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new NodeException(HttpNode.ERROR, display() + " answered " + status + " with a Location that is not"
                    + " a URL: " + location.get(), false);
        }
        boolean same = status == 307 || status == 308;   // keep method and body; 301-303 become a GET without body
        Map<String, String> next = new LinkedHashMap<>(headers);
        if (!same) next.keySet().removeIf(name -> name.equalsIgnoreCase("content-type"));
        if (!sameOrigin(uri, target)) next.keySet().removeIf(name -> CREDENTIALS.contains(lower(name)));
        String nextMethod = same || method.equals("HEAD") ? method : "GET";
        return Optional.of(new Hop(nextMethod, target, next, same ? body : null));
    }

    /** This request with {@code name} set to {@code value}, replacing a header of that name given in any case. */
    Hop with(String name, String value) {
        Map<String, String> next = new LinkedHashMap<>(headers);
        next.keySet().removeIf(n -> n.equalsIgnoreCase(name));
        if (value != null) next.put(name, value);
        return new Hop(method, uri, next, body);
    }

    /** The method and address for messages, without query or user info, which often hold secrets. */
    String display() {
        return method + " " + display(uri);
    }

    static String display(URI uri) {
        if (uri.isOpaque()) return uri.getScheme() + ":...";
        StringBuilder text = new StringBuilder();
        if (uri.getScheme() != null) text.append(uri.getScheme()).append("://");
        if (uri.getHost() != null) text.append(uri.getHost());
        else if (uri.getRawAuthority() != null) text.append(uri.getRawAuthority().replaceFirst("^.*@", ""));
        if (uri.getPort() >= 0) text.append(':').append(uri.getPort());
        text.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        return text.toString();
    }

    static URI withoutFragment(URI uri) {
        String text = uri.toString();
        int hash = text.indexOf('#');
        return hash < 0 ? uri : URI.create(text.substring(0, hash));
    }

    static boolean sameOrigin(URI a, URI b) {
        return lower(a.getScheme()).equals(lower(b.getScheme())) && lower(a.getHost()).equals(lower(b.getHost()))
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String lower(String text) {
        return Objects.toString(text, "").toLowerCase(Locale.ROOT);
    }
}
