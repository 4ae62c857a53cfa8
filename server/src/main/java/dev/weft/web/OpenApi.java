package dev.weft.web;

import dev.weft.http.ClasspathFiles;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The API's OpenAPI 3.1 document ({@code /api/openapi.json}, kept by hand in {@code api/openapi.json} beside the code;
 * a test checks it names every route the server has, and only those) and the interactive page ({@code /api/docs},
 * Swagger UI from its webjar).
 */
public final class OpenApi {

    public static final String DOCUMENT = "/api/openapi.json";
    public static final String PAGE = "/api/docs";
    public static final String SWAGGER_UI_VERSION = "5.34.1";
    private static final String RESOURCE = "/api/openapi.json";

    private final byte[] document;
    private final String page;

    private OpenApi(byte[] document) {
        this.document = document;
        String assets = "/webjars/swagger-ui/" + SWAGGER_UI_VERSION;
        this.page = """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Weft API</title>
                <link rel="stylesheet" href="%s/swagger-ui.css"></head>
                <body><div id="swagger-ui"></div>
                <script src="%s/swagger-ui-bundle.js"></script>
                <script>window.ui = SwaggerUIBundle({url: "%s", dom_id: "#swagger-ui"});</script>
                </body>
                </html>
                """.formatted(assets, assets, DOCUMENT);
    }

    /** Serves the document, the page and the webjar the page loads. */
    public static void install(JavalinConfig cfg) {
        OpenApi api = new OpenApi(read());
        ClasspathFiles swagger = new ClasspathFiles("/META-INF/resources/webjars/swagger-ui/" + SWAGGER_UI_VERSION,
                Map.of("Cache-Control", "public, max-age=86400"));
        cfg.routes.get("/webjars/swagger-ui/" + SWAGGER_UI_VERSION + "/<path>",
                ctx -> swagger.serve(ctx, ctx.pathParam("path")));
        cfg.routes.get(DOCUMENT, api::document);
        cfg.routes.get(PAGE, ctx -> ctx.contentType("text/html; charset=utf-8").result(api.page));
    }

    private void document(Context ctx) {
        ctx.contentType("application/json").result(document);
    }

    private static byte[] read() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the API document " + RESOURCE + " is not on the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
