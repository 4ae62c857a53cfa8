package dev.weft.web;

import dev.weft.audit.AuditApi;
import dev.weft.auth.AccountApi;
import dev.weft.auth.MembersApi;
import dev.weft.auth.SessionApi;
import dev.weft.auth.SessionFilter;
import dev.weft.auth.AdminToken;
import dev.weft.auth.Team;
import dev.weft.http.ClasspathFiles;
import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Map;

/**
 * The web flow builder as the server offers it: the built UI's static files at {@code /} (from the jar's
 * {@code ui/} folder, which the Maven build fills from {@code ui/}), sign-in and sessions, and the filter that
 * lets a signed-in browser call the API.
 */
public final class UiSite {

    /** Where the Maven build puts the built UI on the classpath. */
    public static final String RESOURCE_DIR = "/ui";

    private UiSite() {}

    /**
     * Registers the UI, the session filter, and the people's APIs: sign-in, members and invitations, one's own
     * account, and the audit log (who may call which is {@link dev.weft.auth.RoutePolicy}'s call).
     */
    public static void install(JavalinConfig cfg, AdminToken admin, Team team) {
        SessionFilter filter = new SessionFilter(team.sessions(), team.accounts().users(), admin);
        cfg.jetty.modifyServletContextHandler(handler ->
                handler.addFilter(filter, "/api/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC)));
        SessionApi sessionApi = new SessionApi(team.accounts(), team.sessions(), admin, team.guard(), team.audit(), team.clock());
        sessionApi.register(cfg.routes);
        new MembersApi(team.accounts(), team.sessions(), sessionApi, team.audit(), team.clock()).register(cfg.routes);
        new AccountApi(team.accounts(), team.sessions(), sessionApi, team.audit()).register(cfg.routes);
        new AuditApi(team.audit().log(), dev.weft.auth.Caller::workspaceOf).register(cfg.routes);
        if (UiSite.class.getResource(RESOURCE_DIR + "/index.html") == null) {
            // Built without the UI (an IDE run of the sources): say so rather than answer 404.
            cfg.routes.get("/", ctx -> ctx.contentType("text/plain; charset=utf-8")
                    .result("Weft's UI is not in this build: run 'mvn package' (it builds ui/ with npm)."));
            return;
        }
        // Vite names bundled files by their content: they never change, so browsers may keep them for good.
        ClasspathFiles assets = new ClasspathFiles(RESOURCE_DIR + "/assets",
                Map.of("Cache-Control", "public, max-age=31536000, immutable", "X-Content-Type-Options", "nosniff"));
        ClasspathFiles root = new ClasspathFiles(RESOURCE_DIR, Map.of("Cache-Control", "no-cache",
                "X-Content-Type-Options", "nosniff", "X-Frame-Options", "DENY", "Referrer-Policy", "same-origin"));
        cfg.routes.get("/", ctx -> root.serve(ctx, "index.html"));
        cfg.routes.get("/index.html", ctx -> root.serve(ctx, "index.html"));
        cfg.routes.get("/assets/<path>", ctx -> assets.serve(ctx, ctx.pathParam("path")));
        cfg.routes.get("/favicon.svg", ctx -> root.serve(ctx, "favicon.svg"));
        // browsers that ask for the old name before reading the page's link get the same icon
        cfg.routes.get("/favicon.ico", ctx -> ctx.redirect("/favicon.svg", io.javalin.http.HttpStatus.MOVED_PERMANENTLY));
    }
}
