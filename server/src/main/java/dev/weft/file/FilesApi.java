package dev.weft.file;

import dev.weft.auth.Caller;
import dev.weft.auth.Callers;
import dev.weft.http.ApiException;
import dev.weft.http.Uploads;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.builtin.FileNames;
import dev.weft.store.FileRecord;
import dev.weft.store.FileTooLargeException;
import dev.weft.store.JdbcFileStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The files API: upload a file with a server key ({@code POST /api/v1/files}, the raw bytes with a
 * {@code filename}, or a multipart form's {@code file} field), read it back at its stable URL
 * ({@code GET /api/v1/files/{file_id}}, no credentials: the random id is the secret), delete it with the key that
 * uploaded it or the admin token. Uploads stream to disk and stop at the size limit.
 */
public final class FilesApi {

    /** Where files are uploaded; it checks the caller and the declared size before it reads the body. */
    public static final String UPLOAD_PATH = "/api/v1/files";
    /** Room for a multipart form's boundaries and part headers around the file itself. */
    public static final long MULTIPART_OVERHEAD = 64 * 1024;
    private static final Pattern CONTENT_TYPE = Pattern.compile("[\\w!#$&^.+-]+/[\\w!#$&^.+-]+(\\s*;.*)?");

    private final JdbcFileStore files;
    private final Callers callers;
    private final FileLinks links;
    private final long maxBytes;

    public FilesApi(JdbcFileStore files, Callers callers, FileLinks links, long maxBytes) {
        this.files = files;
        this.callers = callers;
        this.links = links;
        this.maxBytes = maxBytes;
    }

    public void register(RoutesConfig routes) {
        routes.post(UPLOAD_PATH, this::upload);
        routes.get("/api/v1/files/{file_id}", this::download);
        routes.delete("/api/v1/files/{file_id}", this::delete);
    }

    private void upload(Context ctx) {
        Caller caller = callers.require(ctx, Callers.Scope.RUN);
        String type = ctx.contentType() == null ? "" : ctx.contentType().trim();
        boolean multipart = type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes + (multipart ? MULTIPART_OVERHEAD : 0)) throw tooLarge();
        FileRecord file = multipart ? multipart(ctx, caller) : raw(ctx, type, caller);
        ctx.header("Location", links.url(file.id()));
        ctx.status(201).json(json(file));
    }

    private FileRecord raw(Context ctx, String type, Caller caller) {
        String name = name(ctx, null);
        String contentType = contentType(type.isEmpty() ? null : type);
        try (PushbackInputStream in = new PushbackInputStream(ctx.req().getInputStream(), 1)) {
            int first = in.read();
            if (first < 0) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "body", "is empty: send the file's bytes as the"
                        + " request body (or a multipart form with a file field)");
            }
            in.unread(first);
            return save(in, name, contentType, caller);
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be read", e);
        }
    }

    private FileRecord multipart(Context ctx, Caller caller) {
        UploadedFile part = Uploads.file(ctx, "the file", this::tooLarge);
        String name = name(ctx, part.filename());
        String contentType = contentType(part.contentType());
        try (InputStream in = part.content()) {
            return save(in, name, contentType, caller);
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be read", e);
        }
    }

    private FileRecord save(InputStream in, String name, String contentType, Caller caller) {
        try {
            return files.save(in, maxBytes, name, contentType, FileRecord.Owner.key(caller.keyId(), caller.workspaceId()));
        } catch (FileTooLargeException e) {
            throw tooLarge();
        }
    }

    /** The file's name: the {@code filename} query parameter or header, else the form part's own name. */
    private static String name(Context ctx, String fromPart) {
        String given = ctx.queryParam("filename");
        if (given == null) given = ctx.header("X-Filename");
        if (given == null) given = fromPart;
        String name = given == null ? "" : FileNames.clean(given);
        if (name.isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "filename", "is required: the file's name, as the"
                    + " filename query parameter (POST /api/v1/files?filename=report.pdf) or the X-Filename header");
        }
        return name;
    }

    private static String contentType(String given) {
        if (given == null || given.isBlank()) return "application/octet-stream";
        if (!CONTENT_TYPE.matcher(given.trim()).matches() || given.length() > 255) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "Content-Type", "must be a media type such as "
                    + "application/pdf (got " + given + ")");
        }
        return given.trim();
    }

    private ApiException tooLarge() {
        return new ApiException(ApiException.Kind.TOO_LARGE, "body", "the file is over this Weft's limit of "
                + maxBytes + " bytes (" + FilesConfig.MAX_BYTES_ENV + ")");
    }

    private void download(Context ctx) {
        FileRecord file = find(ctx);
        ctx.status(200);
        ctx.res().setContentType(file.contentType());
        ctx.res().setContentLengthLong(file.size());
        ctx.header("Content-Disposition", disposition(file.name()));
        ctx.header("X-Content-Type-Options", "nosniff");
        // served from the UI's origin: a stored page must not run scripts with the user's session
        ctx.header("Content-Security-Policy", "sandbox");
        ctx.header("Cache-Control", "private, max-age=86400");
        ctx.header("ETag", "\"" + file.sha256() + "\"");
        try (InputStream in = files.open(file); OutputStream out = ctx.res().getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("file " + file.id() + " could not be sent", e);
        }
    }

    private void delete(Context ctx) {
        Caller caller = callers.require(ctx, Callers.Scope.RUN);
        FileRecord file = find(ctx);
        if (caller.key() != null && !caller.keyId().equals(file.owner().keyId())) {
            throw new ApiException(ApiException.Kind.FORBIDDEN, "file_id", "server key '" + caller.key().name()
                    + "' did not store file " + file.id() + "; only the key that stored it or the admin may delete it");
        }
        files.delete(file.id());
        ctx.status(204);
    }

    private FileRecord find(Context ctx) {
        String id = ctx.pathParam("file_id");
        return files.find(id).orElseThrow(() -> new ApiException(ApiException.Kind.NOT_FOUND, "file_id",
                "file '" + id + "' does not exist"));
    }

    /** {@code attachment}, with the name as plain ASCII and in full as RFC 5987 UTF-8. */
    static String disposition(String name) {
        String ascii = name.replaceAll("[^\\x20-\\x7e]", "_").replace("\\", "_").replace("\"", "_");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    ObjectNode json(FileRecord file) {
        ObjectNode json = Json.object();
        json.put("id", file.id());
        json.put("url", links.url(file.id()));
        json.put("name", file.name());
        json.put("content_type", file.contentType());
        json.put("size", file.size());
        json.put("sha256", file.sha256());
        json.put("created_at", file.createdAt().toString());
        return json;
    }
}
