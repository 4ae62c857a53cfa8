package dev.weft.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.auth.MemberRole;
import dev.weft.auth.RoutePolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every API route the server has, times every role, generated from the server's own route table: a route without a
 * rule in {@link RoutePolicy} fails here, a role without the route's permission gets 403 naming the role before any
 * handler runs, and a role with it is never refused for its role.
 */
class RoleMatrixTest {

    static TestServer server;
    static final Map<MemberRole, Browsers.Signed> browsers = new EnumMap<>(MemberRole.class);

    @BeforeAll
    static void start() {
        server = TestServer.start();
        Browsers.Signed owner = Browsers.firstOwner(server, "owner@example.com");
        browsers.put(MemberRole.OWNER, owner);
        for (MemberRole role : List.of(MemberRole.EDITOR, MemberRole.RUNNER, MemberRole.VIEWER)) {
            browsers.put(role, Browsers.member(server, owner, role.word() + "@example.com", role.word()));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A path with every parameter filled by an id nothing has, so an allowed request changes nothing. */
    static String concrete(String path) {
        return path.replaceAll("\\{[^}]+}|<[^>]+>", "999999");
    }

    @Test
    void every_route_times_every_role_is_allowed_or_refused_as_its_rule_says() {
        List<String> routes = new ArrayList<>(server.routes().stream().filter(r -> r.contains(" /api/")).toList());
        // signing out ends the session the other requests use: last
        routes.sort(Comparator.comparing((String r) -> r.equals("DELETE /api/v1/session")));
        assertThat(routes).contains("POST /api/v1/flows", "POST /api/v1/scade/flow/{flow_id}/execute",
                "GET /api/v1/audit", "PUT /api/v1/members/{user_id}");
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        int refused = 0;
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1);
            Optional<RoutePolicy.Rule> rule = RoutePolicy.rule(method, path);
            if (rule.isEmpty()) {
                wrong.add(route + ": no rule in RoutePolicy");
                continue;
            }
            for (MemberRole role : MemberRole.values()) {
                cells++;
                String body = method.equals("GET") || method.equals("HEAD") ? null : "{}";
                Browsers.Reply reply = Browsers.send(server, method, concrete(path), body, browsers.get(role));
                boolean roleRefusal = reply.status() == 403 && reply.body().contains("\"field\":\"role\"");
                if (role.allows(rule.get().permission())) {
                    if (roleRefusal) wrong.add(route + " as " + role.word() + ": refused but its rule allows it");
                    if (reply.status() == 401) wrong.add(route + " as " + role.word() + ": 401 with a live session");
                } else {
                    refused++;
                    if (!roleRefusal) wrong.add(route + " as " + role.word() + ": answered " + reply.status()
                            + " instead of the role's 403");
                }
            }
        }
        assertThat(wrong).isEmpty();
        System.out.printf("role matrix: %d routes x %d roles = %d cells, %d refused for the role, all as the rules say%n",
                routes.size(), MemberRole.values().length, cells, refused);
        assertThat(cells).isEqualTo(routes.size() * 4);
    }

    @Test
    void the_admin_token_is_never_refused_for_a_role() {
        for (String route : server.routes()) {
            if (!route.contains(" /api/v1/") || route.equals("DELETE /api/v1/session")) continue;
            String method = route.substring(0, route.indexOf(' '));
            TestServer.Answer answer = server.send(method, concrete(route.substring(route.indexOf(' ') + 1)),
                    method.equals("GET") ? null : "{}", "application/json", TestServer.ADMIN_AUTH);
            assertThat(answer.status() == 403 && answer.text().contains("\"field\":\"role\"")).as(route + " " + answer.text())
                    .isFalse();
        }
    }
}
