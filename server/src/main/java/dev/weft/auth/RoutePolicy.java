package dev.weft.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.audit.Audit;
import dev.weft.http.ApiException;
import dev.weft.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that says what each route needs of a signed-in member, checked before any handler runs, and which
 * management changes are written to the audit log after they succeed. Rules match a method class and a path (exact,
 * or a prefix ending in {@code *}); the first rule that matches wins, so exact rules come before the prefixes that
 * hold them. A route no rule matches is refused to every role but owner (and the role matrix test, generated from
 * the route table, fails naming it). The admin token and server keys are not members: their own checks apply.
 */
public final class RoutePolicy {

    /** Which methods a rule covers: reads (GET, HEAD), writes (the others), or one method. */
    public enum Methods { READS, WRITES, GET, POST, PUT, DELETE, ANY }

    /**
     * One rule: the permission a route needs and, for a management change, the audit action, the object type and
     * where the object's id is (a path parameter, else the answer's {@code idField}).
     */
    public record Rule(Methods methods, String path, Permission permission, String action, String objectType,
                       String idField) {

        boolean matches(String method, String route) {
            boolean methodMatches = switch (methods) {
                case ANY -> true;
                case READS -> READ_METHODS.contains(method);
                case WRITES -> !READ_METHODS.contains(method);
                default -> methods.name().equals(method);
            };
            if (!methodMatches) return false;
            return path.endsWith("*") ? route.startsWith(path.substring(0, path.length() - 1)) : route.equals(path);
        }
    }

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** Every rule, first match wins. */
    public static final List<Rule> RULES = List.of(
            // signing in, the first owner, accepting an invitation: anyone
            rule(Methods.ANY, "/api/v1/session", Permission.PUBLIC),
            rule(Methods.POST, "/api/v1/session/setup", Permission.PUBLIC),
            rule(Methods.GET, "/api/v1/session/oidc*", Permission.PUBLIC),   // single sign-on: its state, start, callback
            rule(Methods.GET, "/api/v1/invitations/{token}", Permission.PUBLIC),
            rule(Methods.POST, "/api/v1/invitations/{token}/accept", Permission.PUBLIC),
            rule(Methods.READS, "/api/openapi.json", Permission.PUBLIC),
            rule(Methods.READS, "/api/docs", Permission.PUBLIC),
            // one's own account
            rule(Methods.ANY, "/api/v1/account*", Permission.SIGNED_IN),
            // workspaces (issue 15 item 2): mine, a new one, switching; renaming needs the owner
            rule(Methods.POST, "/api/v1/session/workspace", Permission.SIGNED_IN),
            rule(Methods.READS, "/api/v1/workspaces", Permission.SIGNED_IN),
            rule(Methods.POST, "/api/v1/workspaces", Permission.SIGNED_IN),
            rule(Methods.ANY, "/api/v1/workspaces*", Permission.MANAGE),
            // owner: members, invitations, the audit log, server settings
            rule(Methods.ANY, "/api/v1/members*", Permission.MANAGE),
            rule(Methods.ANY, "/api/v1/invitations*", Permission.MANAGE),
            rule(Methods.ANY, "/api/v1/audit*", Permission.MANAGE),
            rule(Methods.ANY, "/api/v1/callbacks/secret", Permission.MANAGE),
            rule(Methods.WRITES, "/api/v1/plugins*", Permission.MANAGE),
            // runner: run flows, act on tasks, upload their input files
            rule(Methods.POST, "/api/v1/scade/flow/{flow_id}/execute", Permission.RUN),
            rule(Methods.WRITES, "/api/v1/task/*", Permission.RUN),
            rule(Methods.WRITES, "/api/v1/tasks*", Permission.RUN),
            rule(Methods.POST, "/api/v1/files", Permission.RUN),
            // editor: build and publish flows, keys, credentials, files, knowledge bases, MCP servers
            audited(Methods.POST, "/api/v1/flows", "flow.create", "flow", "id"),
            audited(Methods.PUT, "/api/v1/flows/{flow_id}", "flow.update", "flow", "flow_id"),
            audited(Methods.DELETE, "/api/v1/flows/{flow_id}", "flow.delete", "flow", "flow_id"),
            audited(Methods.POST, "/api/v1/flows/{flow_id}/publish", "flow.publish", "flow", "flow_id"),
            audited(Methods.POST, "/api/v1/flows/{flow_id}/versions/{version}/restore", "flow.restore", "flow", "flow_id"),
            audited(Methods.POST, "/api/v1/keys", "key.create", "key", "id"),
            audited(Methods.DELETE, "/api/v1/keys/{key_id}", "key.revoke", "key", "key_id"),
            audited(Methods.POST, "/api/v1/credentials", "credential.create", "credential", "name"),
            audited(Methods.PUT, "/api/v1/credentials/{name}", "credential.update", "credential", "name"),
            audited(Methods.POST, "/api/v1/credentials/{name}/rotate", "credential.rotate", "credential", "name"),
            audited(Methods.DELETE, "/api/v1/credentials/{name}", "credential.delete", "credential", "name"),
            audited(Methods.POST, "/api/v1/mcp-servers", "mcp_server.create", "mcp_server", "name"),
            audited(Methods.PUT, "/api/v1/mcp-servers/{name}", "mcp_server.update", "mcp_server", "name"),
            audited(Methods.DELETE, "/api/v1/mcp-servers/{name}", "mcp_server.delete", "mcp_server", "name"),
            audited(Methods.POST, "/api/v1/knowledge-bases", "knowledge_base.create", "knowledge_base", "id"),
            audited(Methods.DELETE, "/api/v1/knowledge-bases/{kb_id}", "knowledge_base.delete", "knowledge_base", "kb_id"),
            rule(Methods.WRITES, "/api/v1/flows*", Permission.BUILD),
            rule(Methods.WRITES, "/api/v1/keys*", Permission.BUILD),
            rule(Methods.WRITES, "/api/v1/credentials*", Permission.BUILD),
            rule(Methods.WRITES, "/api/v1/files*", Permission.BUILD),
            rule(Methods.WRITES, "/api/v1/knowledge-bases*", Permission.BUILD),
            rule(Methods.WRITES, "/api/v1/mcp-servers*", Permission.BUILD),
            rule(Methods.WRITES, "/api/v1/templates*", Permission.BUILD),
            // viewer: every read of the API
            rule(Methods.READS, "/api/v1/*", Permission.READ));

    private final Audit audit;
    /** Each route's rule, found once: the run API's hot path asks on every request. */
    private final Map<String, Optional<Rule>> byRoute = new ConcurrentHashMap<>();

    public RoutePolicy(Audit audit) {
        this.audit = audit;
    }

    private static Rule rule(Methods methods, String path, Permission permission) {
        return new Rule(methods, path, permission, null, null, null);
    }

    private static Rule audited(Methods methods, String path, String action, String objectType, String idField) {
        return new Rule(methods, path, Permission.BUILD, action, objectType, idField);
    }

    /** The rule for a route ({@code "POST"}, {@code "/api/v1/flows/{flow_id}"}), if any. */
    public static Optional<Rule> rule(String method, String route) {
        for (Rule rule : RULES) {
            if (rule.matches(method, route)) return Optional.of(rule);
        }
        return Optional.empty();
    }

    private Optional<Rule> cached(String method, String route) {
        return byRoute.computeIfAbsent(method + " " + route, key -> rule(method, route));
    }

    /** Checks every matched request before its handler, and audits the changes that succeeded after it. */
    public void register(RoutesConfig routes) {
        routes.beforeMatched(this::check);
        routes.afterMatched(this::record);
    }

    private void check(Context ctx) {
        Member member = ctx.attribute(SessionFilter.MEMBER_ATTRIBUTE);
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (member == null || endpoint == null) return;
        String method = endpoint.method.name();
        Optional<Rule> rule = cached(method, endpoint.path);
        if (rule.isEmpty()) {
            if (member.role() == MemberRole.OWNER) return;
            throw new ApiException(ApiException.Kind.FORBIDDEN, "role", "no role rule covers " + method + " "
                    + endpoint.path + "; only an owner may use it");
        }
        Permission needed = rule.get().permission();
        if (!member.role().allows(needed)) {
            throw new ApiException(ApiException.Kind.FORBIDDEN, "role", "a " + member.role().word() + " may not "
                    + describe(needed) + " (" + method + " " + endpoint.path + " needs " + least(needed) + ")");
        }
    }

    private void record(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null || ctx.statusCode() >= 300 || ctx.statusCode() < 200) return;
        Optional<Rule> rule = cached(endpoint.method.name(), endpoint.path);
        if (rule.isEmpty() || rule.get().action() == null) return;
        Rule found = rule.get();
        audit.record(Caller.workspaceOf(ctx), actor(ctx), found.action(), found.objectType(),
                objectId(ctx, found.idField()), null, ctx.req().getRemoteAddr());
    }

    /** Who made a request, as the audit log names them: the member's email, else the admin token. */
    public static String actor(Context ctx) {
        Member member = ctx.attribute(SessionFilter.MEMBER_ATTRIBUTE);
        return member != null ? member.email() : Audit.ADMIN_TOKEN;
    }

    private static String objectId(Context ctx, String field) {
        if (ctx.pathParamMap().containsKey(field)) return ctx.pathParam(field);
        String body = ctx.result();
        if (body == null || body.isEmpty()) return null;
        try {
            JsonNode answer = Json.read(body);
            JsonNode id = answer.get(field);
            return id == null || id.isNull() ? null : id.asText();
        } catch (RuntimeException e) {
            return null;   // not JSON: the change is recorded without its id
        }
    }

    private static String describe(Permission permission) {
        return switch (permission) {
            case PUBLIC, SIGNED_IN, READ -> "read this";
            case RUN -> "run flows or act on tasks";
            case BUILD -> "build, publish or change keys, credentials and files";
            case MANAGE -> "manage members, the audit log or server settings";
        };
    }

    /** The least role that has {@code permission}. */
    static String least(Permission permission) {
        for (MemberRole role : MemberRole.values()) {
            if (role.allows(permission)) return role.word();
        }
        return MemberRole.OWNER.word();
    }
}
