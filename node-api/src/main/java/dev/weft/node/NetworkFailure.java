package dev.weft.node;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns a failure of a network call into words a person can act on ("could not connect to api.example.com:443:
 * connection refused"), never a Java class name: the JDK's HTTP client often throws a {@link ConnectException}
 * without any message, which steps used to report as just "ConnectException".
 */
public final class NetworkFailure {

    private NetworkFailure() {}

    /** What kind of network failure an exception is, as {@link #kind} tells it. */
    public enum Kind {
        /** The host name could not be resolved. */
        UNKNOWN_HOST,
        /** The connection attempt got no answer in time. */
        CONNECT_TIMEOUT,
        /** The request was sent (or connecting succeeded) and no answer came in time. */
        TIMEOUT,
        /** There is no route to the host. */
        NO_ROUTE,
        /** The TLS handshake failed (an untrusted or mismatched certificate, no common protocol). */
        TLS_HANDSHAKE,
        /** The secure connection failed after or outside the handshake. */
        TLS,
        /** The connection could not be made: refused, or another failure to connect. */
        NOT_CONNECTED,
        /** A connection that was open closed before the whole answer arrived. */
        CLOSED,
        /** A connection that was open was reset by the other side. */
        RESET,
        /** None of the above: the call failed in another way. */
        OTHER
    }

    /** A failure's kind and the exception in its chain that decided it (whose message may be worth showing). */
    private record Classified(Kind kind, Throwable cause) {}

    /**
     * What kind of network failure {@code failure} is; its causes are looked through, the first that tells wins.
     *
     * @param failure the exception a call ended with
     * @return its kind, {@link Kind#OTHER} when no exception of its chain tells
     */
    public static Kind kind(Throwable failure) {
        return classify(failure).kind();
    }

    /**
     * Whether a connection that was open ended before the answer came: closed or reset by the other side. A client
     * may send an idempotent request again when this is so and nothing of the answer had arrived (the server may
     * have closed a kept-alive connection just as the request went out on it); never when the connection could not
     * be made at all, which is {@link Kind#NOT_CONNECTED}.
     *
     * @param failure the exception a call ended with
     * @return true for {@link Kind#CLOSED} and {@link Kind#RESET}
     */
    public static boolean closedBeforeAnswer(Throwable failure) {
        Kind kind = kind(failure);
        return kind == Kind.CLOSED || kind == Kind.RESET;
    }

    private static Classified classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = lower(t.getMessage());
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new Classified(Kind.UNKNOWN_HOST, t);
            }
            if (t instanceof HttpConnectTimeoutException) return new Classified(Kind.CONNECT_TIMEOUT, t);
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return new Classified(Kind.TIMEOUT, t);
            }
            if (t instanceof NoRouteToHostException) return new Classified(Kind.NO_ROUTE, t);
            if (t instanceof SSLHandshakeException || t instanceof CertificateException) {
                return new Classified(Kind.TLS_HANDSHAKE, t);
            }
            if (t instanceof SSLException) return new Classified(Kind.TLS, t);
            if (t instanceof ConnectException) {
                // the JDK's client wraps a refusal as a ConnectException without message around a closed channel
                Throwable cause = t.getCause();
                if (cause != null && !(cause instanceof ConnectException) && !(cause instanceof ClosedChannelException)) {
                    continue;
                }
                return new Classified(Kind.NOT_CONNECTED, t);
            }
            if (t instanceof ClosedChannelException || t instanceof EOFException) return new Classified(Kind.CLOSED, t);
            if (t instanceof SocketException && message != null && message.contains("reset")) {
                return new Classified(Kind.RESET, t);
            }
            if (message != null && message.contains("header parser received no bytes")) {
                return new Classified(Kind.CLOSED, t);
            }
        }
        return new Classified(Kind.OTHER, failure);
    }

    /**
     * What went wrong talking to {@code target}, in words.
     *
     * @param failure the exception the call ended with (its causes are looked through)
     * @param target  what was called, for instance {@code api.example.com:443} or {@code GET https://x/y}; may be
     *                null when unknown
     * @return a sentence without class names, starting in lower case
     */
    public static String describe(Throwable failure, String target) {
        String where = target == null || target.isBlank() ? "the server" : target;
        Classified classified = classify(failure);
        Throwable t = classified.cause();
        String message = t == null ? null : lower(t.getMessage());
        return switch (classified.kind()) {
            case UNKNOWN_HOST -> "could not connect to " + where + ": the host name is unknown (DNS lookup failed)";
            case CONNECT_TIMEOUT -> "could not connect to " + where + ": no answer to the connection attempt in time";
            case TIMEOUT -> where + " gave no answer in time";
            case NO_ROUTE -> "could not connect to " + where + ": no route to the host";
            case TLS_HANDSHAKE -> "the secure connection (TLS) to " + where + " failed: " + tlsReason(failure);
            case TLS -> "the secure connection (TLS) to " + where + " failed"
                    + (t.getMessage() == null ? "" : ": " + t.getMessage());
            case NOT_CONNECTED -> "could not connect to " + where + ": "
                    + (message == null || message.contains("refused") ? "connection refused" : message);
            case CLOSED -> where + " closed the connection before answering";
            case RESET -> "the connection to " + where + " was reset";
            case OTHER -> {
                String said = failure == null ? null : failure.getMessage();
                if (said == null && failure != null && failure.getCause() != null) {
                    said = failure.getCause().getMessage();
                }
                yield "calling " + where + " failed" + (said == null || said.isBlank() ? "" : ": " + said);
            }
        };
    }

    /**
     * A failure that is not a network one, in words: its message, else a plain sentence instead of its class name.
     *
     * @param failure the exception
     * @return its message, or a sentence saying the failure gave none
     */
    public static String message(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        }
        if (failure instanceof OutOfMemoryError) return "the server ran out of memory";
        if (failure instanceof StackOverflowError) return "the call nests too deeply (stack overflow)";
        return "an unexpected error without a message";
    }

    /**
     * The host and port a connection to {@code uri} goes to, for {@link #describe}: {@code api.example.com:443}.
     *
     * @param uri an absolute http(s) address
     * @return host:port, the port filled in from the scheme when the address has none
     */
    public static String target(java.net.URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    private static String tlsReason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = lower(t.getMessage());
            if (message == null) continue;
            if (message.contains("pkix") || message.contains("unable to find valid certification path")) {
                return "the server's certificate is not trusted";
            }
            if (message.contains("no subject alternative") || message.contains("does not match")) {
                return "the server's certificate is for another host name";
            }
            if (message.contains("expired") || message.contains("notafter")) return "the server's certificate has expired";
            if (message.contains("protocol_version") || message.contains("no appropriate protocol")) {
                return "no TLS version both sides support";
            }
        }
        String message = failure.getMessage();
        return message == null ? "the handshake did not complete" : message;
    }

    private static String lower(String message) {
        return message == null ? null : message.toLowerCase(Locale.ROOT);
    }
}
