package dev.weft.manage;

import dev.weft.file.FilesApi;
import dev.weft.http.ApiException;
import dev.weft.http.Uploads;
import dev.weft.http.Bodies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.store.kb.KbChunk;
import dev.weft.store.kb.KbDocument;
import dev.weft.kb.KbException;
import dev.weft.store.kb.KnowledgeBase;
import dev.weft.kb.KnowledgeBases;
import dev.weft.kb.Search;
import dev.weft.kb.index.Hit;
import dev.weft.kb.parse.Format;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The management API for knowledge bases (admin token or session): KBs (create, list, read, delete), their
 * documents (upload as a file or as JSON text, list with ingest status and progress, read, delete, re-index, read
 * chunks) and search. Uploads are accepted at once (202) and ingested in the background.
 */
public final class KnowledgeBasesApi {

    static final String BASE = "/api/v1/knowledge-bases";
    static final int METADATA_MAX = 50;
    static final int METADATA_VALUE_MAX_CHARS = 1_000;

    private final KnowledgeBases service;
    private final KbRequests requests;
    private final java.util.function.BiPredicate<Long, String> credentialExists;
    private final long maxBytes;

    /**
     * {@code credentialExists} checks a KB's named credential in a workspace (the caller's); {@code maxBytes} bounds
     * one document.
     */
    public KnowledgeBasesApi(KnowledgeBases service, java.util.function.BiPredicate<Long, String> credentialExists,
                             long maxBytes) {
        this.service = service;
        this.credentialExists = credentialExists;
        this.requests = new KbRequests(name -> credentialExists.test(dev.weft.store.Database.DEFAULT_WORKSPACE, name));
        this.maxBytes = maxBytes;
    }

    public void register(RoutesConfig routes) {
        routes.post(BASE, refusing(this::create));
        routes.get(BASE, refusing(this::list));
        routes.get(BASE + "/{kb_id}", refusing(ctx -> ctx.json(KbJson.kb(service.get(kbId(ctx))))));
        routes.delete(BASE + "/{kb_id}", refusing(ctx -> {
            service.delete(kbId(ctx));
            ctx.status(204);
        }));
        routes.post(BASE + "/{kb_id}/documents", refusing(this::upload));
        routes.get(BASE + "/{kb_id}/documents", refusing(this::documents));
        routes.get(BASE + "/{kb_id}/documents/{document_id}",
                refusing(ctx -> ctx.json(KbJson.document(service.document(kbId(ctx), documentId(ctx))))));
        routes.delete(BASE + "/{kb_id}/documents/{document_id}", refusing(ctx -> {
            service.deleteDocument(kbId(ctx), documentId(ctx));
            ctx.status(204);
        }));
        routes.post(BASE + "/{kb_id}/documents/{document_id}/reindex",
                refusing(ctx -> ctx.status(202).json(KbJson.document(service.reindex(kbId(ctx), documentId(ctx))))));
        routes.get(BASE + "/{kb_id}/documents/{document_id}/chunks", refusing(this::chunks));
        routes.post(BASE + "/{kb_id}/search", refusing(this::search));
    }

    private void create(Context ctx) {
        long workspace = dev.weft.auth.Caller.workspaceOf(ctx);
        KnowledgeBase kb = service.create(workspace, new KbRequests(name -> credentialExists.test(workspace, name))
                .knowledgeBase(Bodies.object(ctx, false)));
        ctx.status(201).header("Location", BASE + "/" + kb.id()).json(KbJson.kb(kb));
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("knowledge_bases");
        for (KnowledgeBase kb : service.list(dev.weft.auth.Caller.workspaceOf(ctx))) list.add(KbJson.kb(kb));
        ctx.json(json);
    }

    private void upload(Context ctx) {
        long kbId = kbId(ctx);
        service.get(kbId);   // 404 before reading a large body
        String type = ctx.contentType() == null ? "" : ctx.contentType().trim().toLowerCase(Locale.ROOT);
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes + FilesApi.MULTIPART_OVERHEAD) throw tooLarge();
        KbDocument.New doc;
        if (type.startsWith("multipart/form-data")) doc = multipart(ctx);
        else if (type.startsWith("application/json")) doc = requests.textDocument(Bodies.object(ctx, false), maxBytes);
        else doc = raw(ctx, type);
        KbDocument added = service.add(kbId, doc);
        ctx.status(202).header("Location", BASE + "/" + kbId + "/documents/" + added.id()).json(KbJson.document(added));
    }

    private KbDocument.New multipart(Context ctx) {
        UploadedFile part = Uploads.file(ctx, "the document", this::tooLarge);
        String metadata = ctx.formParam("metadata");
        Map<String, String> meta = metadata == null ? Map.of() : requests.metadata(parse(metadata, "metadata"), "metadata");
        try (InputStream in = part.content()) {
            String name = name(ctx, part.filename());
            return new KbDocument.New(name, mediaType(part.contentType(), name), read(in), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be read", e);
        }
    }

    private KbDocument.New raw(Context ctx, String type) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = read(in);
            if (bytes.length == 0) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "body", "is empty: send the document's bytes, "
                        + "a multipart form with a file field, or JSON {\"name\": ..., \"text\": ...}");
            }
            String name = name(ctx, null);
            return new KbDocument.New(name, mediaType(type, name), bytes, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be read", e);
        }
    }

    private byte[] read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) throw tooLarge();
        return bytes;
    }

    private void documents(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("documents");
        for (KbDocument d : service.documents(kbId(ctx))) list.add(KbJson.document(d));
        ctx.json(json);
    }

    private void chunks(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("chunks");
        for (KbChunk c : service.chunks(kbId(ctx), documentId(ctx))) list.add(KbJson.chunk(c));
        ctx.json(json);
    }

    private void search(Context ctx) throws InterruptedException {
        long kbId = kbId(ctx);
        Search search = requests.search(Bodies.object(ctx, false));
        KnowledgeBase kb = service.get(kbId);
        List<Hit> hits = service.search(kbId, search);
        ObjectNode json = Json.object();
        json.put("model", kb.embedding().model());
        ArrayNode results = json.putArray("results");
        for (Hit h : hits) results.add(KbJson.hit(h));
        ctx.json(json);
    }

    private static JsonNode parse(String text, String field) {
        try {
            return Json.MAPPER.readTree(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "must be a JSON object of strings");
        }
    }

    /** The document's name: the {@code filename} query parameter or {@code X-Filename} header, else the part's. */
    private static String name(Context ctx, String fromPart) {
        String given = ctx.queryParam("filename");
        if (given == null) given = ctx.header("X-Filename");
        if (given == null) given = fromPart;
        String name = given == null ? "" : KbRequests.cleanName(given);
        if (name.isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "filename", "is required: the document's name, as "
                    + "the filename query parameter or the X-Filename header (the name helps to tell its format)");
        }
        return name;
    }

    /** The sent media type, or one told by the name's extension when the client sent none or a generic one. */
    private static String mediaType(String type, String name) {
        String sent = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!sent.isEmpty() && !sent.equals("application/octet-stream")) return sent;
        return Format.byName(name).map(Format::mediaType).orElse("application/octet-stream");
    }

    private ApiException tooLarge() {
        return new ApiException(ApiException.Kind.TOO_LARGE, "file", "a document may have at most " + maxBytes + " bytes");
    }

    private static long kbId(Context ctx) {
        return Bodies.id(ctx, "kb_id", "knowledge base");
    }

    private static long documentId(Context ctx) {
        return Bodies.id(ctx, "document_id", "document");
    }

    /** Turns the service's refusals into the API's problem documents, naming the field. */
    private static Handler refusing(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (KbException e) {
                ApiException.Kind kind = switch (e.kind()) {
                    case NOT_FOUND -> ApiException.Kind.NOT_FOUND;
                    case CONFLICT -> ApiException.Kind.CONFLICT;
                    case INVALID -> ApiException.Kind.INVALID_INPUT;
                };
                throw new ApiException(kind, e.field(), e.getMessage());
            }
        };
    }
}
