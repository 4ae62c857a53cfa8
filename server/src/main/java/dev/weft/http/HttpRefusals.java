package dev.weft.http;

import dev.weft.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler for what the HTTP layer refuses before Weft's routes see a request (a malformed or
 * ambiguous URI, a bad header, a URI or headers too long, an unknown HTTP version): the refusal is written as
 * {@code application/problem+json} in {@link ProblemMapper}'s shape instead of Jetty's HTML page.
 */
public final class HttpRefusals extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        byte[] body = body(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemMapper.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The body of a response to a message Jetty could not parse (the connection closes after it). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ProblemMapper.CONTENT_TYPE);
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int status, String message) {
        String reason = HttpStatus.getMessage(status);
        String detail = message == null || message.isBlank() || message.equals(reason)
                ? "the HTTP request was refused: " + reason
                : "the HTTP request was refused: " + message;
        return Json.write(ProblemMapper.forStatus(status, detail)).getBytes(StandardCharsets.UTF_8);
    }
}
