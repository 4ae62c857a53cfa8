package dev.weft.api;

import dev.weft.file.FilesApi;
import dev.weft.file.FilesConfig;
import dev.weft.http.ProblemMapper;
import dev.weft.run.RunApiConfig;
import dev.weft.server.RawHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The files API on a real server: upload with a key, download at the stable URL, limits, refusals, delete. */
class FilesApiTest {

    static final long LIMIT = 64 * 1024;
    static TestServer server;
    static String key;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();

    @BeforeAll
    static void start() {
        // the JSON body limit is far below the file limit: uploads stream, they are not JSON bodies
        server = TestServer.start(config -> config.withMaxBodyBytes(1024), RunApiConfig.DEFAULT,
                FilesConfig.DEFAULT.withMaxBytes(LIMIT));
        key = server.newKeyAuth("uploader");
        try {
            jetty.start();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty's client did not start", e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        server.close();
    }

    record Reply(int status, String contentType, byte[] body, HttpResponse<byte[]> response) {
        JsonNode json() {
            return Json.read(new String(body, StandardCharsets.UTF_8));
        }
    }

    static Reply send(HttpRequest.Builder request) {
        return send(client, request);
    }

    /**
     * An upload that waits for the server's {@code 100 Continue} before it sends the body, as curl does for a large
     * body, through Jetty's client: the JDK's client reads a refusal sent instead of {@code 100 Continue} only when
     * the server keeps the connection open, and the server closes a connection whose body it did not read.
     */
    static Reply sendExpecting(String query, String contentType, Request.Content body) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        jetty.newRequest(server.base() + "/api/v1/files" + query)
                .method("POST")
                .headers(headers -> {
                    headers.put(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString());
                    headers.put(HttpHeader.AUTHORIZATION, key);
                    if (contentType != null) headers.put(HttpHeader.CONTENT_TYPE, contentType);
                })
                .body(body)
                .timeout(30, TimeUnit.SECONDS)
                .send(new BufferingResponseListener() {
                    @Override
                    public void onComplete(Result result) {
                        // a refusal instead of 100 Continue fails the request (its body was never sent), not the answer
                        Response response = result.getResponse();
                        if (result.getResponseFailure() != null || response.getStatus() == 0) {
                            reply.completeExceptionally(result.getFailure());
                        } else {
                            reply.complete(new Reply(response.getStatus(), response.getHeaders().get(HttpHeader.CONTENT_TYPE),
                                    getContent(), null));
                        }
                    }
                });
        try {
            return reply.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the upload got no answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Reply send(HttpClient through, HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = through.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Reply upload(String query, String contentType, byte[] body, String authorization) {
        return send(uploadRequest(query, contentType, body, authorization));
    }

    static HttpRequest.Builder uploadRequest(String query, String contentType, byte[] body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base() + "/api/v1/files" + query))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) request.header("Content-Type", contentType);
        if (authorization != null) request.header("Authorization", authorization);
        return request;
    }

    static Reply get(String url, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) request.header("Authorization", authorization);
        return send(request);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Every file's bytes on disk now, to show a refused upload kept nothing. */
    static List<Path> stored() {
        try (Stream<Path> files = Files.walk(server.dataDir().resolve("files"))) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] multipart(String boundary, String field, String filename, String type, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void an_uploaded_file_is_served_back_at_its_url_with_its_content_type() throws Exception {
        byte[] pdf = new byte[40_000];   // above the JSON body limit, within the file limit
        for (int i = 0; i < pdf.length; i++) pdf[i] = (byte) (i * 31);

        Reply created = upload("?filename=q3%20report.pdf", "application/pdf", pdf, key);

        assertThat(created.status()).isEqualTo(201);
        JsonNode file = created.json();
        String id = file.path("id").asText();
        assertThat(id).matches("f[a-z2-7]{26}");
        assertThat(file.path("url").asText()).isEqualTo(server.base() + "/api/v1/files/" + id);
        assertThat(created.response().headers().firstValue("Location")).contains(file.path("url").asText());
        assertThat(file.path("name").asText()).isEqualTo("q3 report.pdf");
        assertThat(file.path("content_type").asText()).isEqualTo("application/pdf");
        assertThat(file.path("size").asLong()).isEqualTo(pdf.length);
        assertThat(file.path("sha256").asText()).isEqualTo(sha256(pdf));

        Reply download = get(file.path("url").asText(), null);   // the stable URL needs no key
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.contentType()).isEqualTo("application/pdf");
        assertThat(download.body()).isEqualTo(pdf);
        assertThat(download.response().headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"q3 report.pdf\"; filename*=UTF-8''q3%20report.pdf");
        assertThat(download.response().headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(download.response().headers().firstValue("ETag")).contains("\"" + sha256(pdf) + "\"");
    }

    @Test
    void a_multipart_upload_keeps_the_part_name_and_type() throws Exception {
        byte[] csv = "city,temp\nOslo,3\n".getBytes(StandardCharsets.UTF_8);

        Reply created = upload("", "multipart/form-data; boundary=XyZ",
                multipart("XyZ", "file", "C:\\data\\temps.csv", "text/csv", csv), key);

        assertThat(created.status()).as(new String(created.body())).isEqualTo(201);
        assertThat(created.json().path("name").asText()).isEqualTo("temps.csv");
        assertThat(created.json().path("content_type").asText()).isEqualTo("text/csv");
        assertThat(created.json().path("sha256").asText()).isEqualTo(sha256(csv));
        assertThat(get(created.json().path("url").asText(), null).body()).isEqualTo(csv);
    }

    @Test
    void a_wrong_key_gets_401_and_nothing_is_stored() {
        List<Path> before = stored();

        Reply refused = upload("?filename=a.txt", "text/plain", "hi".getBytes(StandardCharsets.UTF_8),
                "Basic d2Z0X25vcGU6bm9wZQ==");
        Reply anonymous = upload("?filename=a.txt", "text/plain", "hi".getBytes(StandardCharsets.UTF_8), null);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).isEqualTo(ProblemMapper.CONTENT_TYPE);
        assertThat(refused.json().path("type").asText()).isEqualTo("/problems/unauthorized");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void a_file_over_the_limit_gets_413_naming_the_limit_and_nothing_is_stored() {
        List<Path> before = stored();
        byte[] big = new byte[(int) LIMIT + 1];

        Reply declared = sendExpecting("?filename=big.bin", "application/octet-stream", new BytesRequestContent(big));
        Reply streamed = sendExpecting("?filename=big.bin", null,
                new InputStreamRequestContent(new ByteArrayInputStream(big)));   // chunked
        Reply form = sendExpecting("", "multipart/form-data; boundary=B", new BytesRequestContent(multipart("B", "file",
                "big.bin", "application/octet-stream", new byte[(int) LIMIT + 100_000])));
        Reply part = sendExpecting("", "multipart/form-data; boundary=B", new BytesRequestContent(multipart("B", "file",
                "big.bin", "application/octet-stream", new byte[(int) LIMIT + 1_000])));   // the form fits, the file does not

        for (Reply reply : List.of(declared, streamed, form, part)) {
            assertThat(reply.status()).as(new String(reply.body())).isEqualTo(413);
            assertThat(reply.contentType()).isEqualTo(ProblemMapper.CONTENT_TYPE);
            assertThat(reply.json()).isEqualTo(Json.read("""
                    {"type": "/problems/payload-too-large", "title": "Payload too large", "status": 413,
                     "detail": "the file is over this Weft's limit of 65536 bytes (WEFT_FILE_MAX_BYTES)",
                     "errors": [{"field": "body", "message": "the file is over this Weft's limit of 65536 bytes (WEFT_FILE_MAX_BYTES)"}]}"""));
        }
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void a_client_that_waits_for_100_continue_is_refused_before_it_sends_the_body() {
        List<Path> before = stored();
        String length = "Content-Length: " + (LIMIT + FilesApi.MULTIPART_OVERHEAD + 1);
        // Only the head goes out: a server that answered 100 Continue would now wait for the body and the read time out.
        RawHttp.Reply tooBig = RawHttp.exchange("127.0.0.1", server.port(), RawHttp.head("POST", "/api/v1/files",
                "Authorization: " + key, "Content-Type: multipart/form-data; boundary=B", "Expect: 100-continue", length),
                null, Duration.ofSeconds(20));
        RawHttp.Reply wrongKey = RawHttp.exchange("127.0.0.1", server.port(), RawHttp.head("POST",
                "/api/v1/files?filename=a.bin", "Authorization: Basic nope", "Content-Type: application/octet-stream",
                "Expect: 100-continue", length), null, Duration.ofSeconds(20));

        assertThat(tooBig.status()).as(tooBig.body()).isEqualTo(413);
        assertThat(tooBig.body()).contains("limit of 65536 bytes");
        assertThat(wrongKey.status()).as(wrongKey.body()).isEqualTo(401);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void a_missing_name_body_or_form_field_gets_400_naming_the_field() {
        List<Path> before = stored();

        Reply noName = upload("", "text/plain", "hi".getBytes(StandardCharsets.UTF_8), key);
        Reply noBody = upload("?filename=empty.txt", "text/plain", new byte[0], key);
        Reply noFile = upload("", "multipart/form-data; boundary=B", multipart("B", "document", "a.txt",
                "text/plain", new byte[] {1}), key);
        Reply badType = upload("?filename=a.txt", "not a type", new byte[] {1}, key);

        assertThat(List.of(noName, noBody, noFile, badType)).extracting(Reply::status).containsOnly(400);
        assertThat(noName.json().path("errors").get(0).path("field").asText()).isEqualTo("filename");
        assertThat(noName.json().path("errors").get(0).path("message").asText())
                .startsWith("is required: the file's name, as the filename query parameter");
        assertThat(noBody.json().path("errors").get(0).path("field").asText()).isEqualTo("body");
        assertThat(noFile.json().path("errors").get(0).path("field").asText()).isEqualTo("file");
        assertThat(badType.json().path("errors").get(0).path("field").asText()).isEqualTo("Content-Type");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void a_file_is_deleted_by_the_key_that_stored_it_and_then_is_gone() {
        String id = upload("?filename=a.txt", "text/plain", "bye".getBytes(StandardCharsets.UTF_8), key)
                .json().path("id").asText();
        String other = server.newKeyAuth("someone else");
        String path = "/api/v1/files/" + id;

        TestServer.Answer forbidden = server.send("DELETE", path, null, null, other);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().path("errors").get(0).path("field").asText()).isEqualTo("file_id");
        assertThat(server.get(path, null).status()).isEqualTo(200);

        assertThat(server.send("DELETE", path, null, null, key).status()).isEqualTo(204);
        TestServer.Answer gone = server.get(path, null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("detail").asText()).isEqualTo("file '" + id + "' does not exist");
        assertThat(server.send("DELETE", path, null, null, TestServer.ADMIN_AUTH).status()).isEqualTo(404);
        assertThat(server.get("/api/v1/files/..%2Fweft.db", null).status()).isEqualTo(404);
    }

    @Test
    void the_node_catalogue_lists_the_files_node() {
        TestServer.Answer answer = server.get("/api/v1/node-types/files", key);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("title").asText()).isEqualTo("Fetch file");
        assertThat(answer.json().path("outputs")).isEqualTo(Json.read(
                "[\"file_id\", \"url\", \"name\", \"content_type\", \"size\", \"sha256\"]"));
        assertThat(answer.json().path("settings_schema").path("required")).isEqualTo(Json.read("[\"url\"]"));
    }
}
