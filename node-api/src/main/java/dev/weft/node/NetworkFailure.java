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
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = lower(t.getMessage());
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "could not connect to " + where + ": the host name is unknown (DNS lookup failed)";
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "could not connect to " + where + ": no answer to the connection attempt in time";
            }
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return where + " gave no answer in time";
            }
            if (t instanceof NoRouteToHostException) {
                return "could not connect to " + where + ": no route to the host";
            }
            if (t instanceof SSLHandshakeException || t instanceof CertificateException) {
                return "the secure connection (TLS) to " + where + " failed: " + tlsReason(failure);
            }
            if (t instanceof SSLException) {
                return "the secure connection (TLS) to " + where + " failed"
                        + (t.getMessage() == null ? "" : ": " + t.getMessage());
            }
            if (t instanceof ConnectException) {
                // the JDK's client wraps a refusal as a ConnectException without message around a closed channel
                Throwable cause = t.getCause();
                if (cause != null && !(cause instanceof ConnectException) && !(cause instanceof ClosedChannelException)) {
                    continue;
                }
                return "could not connect to " + where + ": "
                        + (message == null || message.contains("refused") ? "connection refused" : message);
            }
            if (t instanceof ClosedChannelException || t instanceof EOFException) {
                return where + " closed the connection before answering";
            }
            if (t instanceof SocketException && message != null && message.contains("reset")) {
                return "the connection to " + where + " was reset";
            }
            if (message != null && message.contains("header parser received no bytes")) {
                return where + " closed the connection before answering";
            }
        }
        String message = failure == null ? null : failure.getMessage();
        if (message == null && failure != null && failure.getCause() != null) message = failure.getCause().getMessage();
        return "calling " + where + " failed" + (message == null || message.isBlank() ? "" : ": " + message);
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
