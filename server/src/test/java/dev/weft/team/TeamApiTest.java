package dev.weft.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.auth.Sessions;
import dev.weft.json.Json;
import dev.weft.store.Database;
import dev.weft.store.JdbcUserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Members, invitations, accounts and the audit log through the API: what each refuses (forged or expired links,
 * changing one's own membership, a fixed session id, telling unknown emails from wrong passwords) and what each
 * change leaves in the audit log.
 */
class TeamApiTest {

    static TestServer server;
    static Browsers.Signed owner;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        owner = Browsers.firstOwner(server, "owner@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode audit(String query) {
        Browsers.Reply reply = Browsers.send(server, "GET", "/api/v1/audit" + query, null, owner);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    static List<String> actions(JsonNode page) {
        List<String> actions = new ArrayList<>();
        page.path("entries").forEach(e -> actions.add(e.path("action").asText() + " " + e.path("object_id").asText()));
        return actions;
    }

    @Test
    void unknown_email_and_wrong_password_get_the_same_answer_and_both_are_audited() {
        Browsers.Reply unknown = Browsers.signIn(server, "nobody@example.com", "whatever password");
        Browsers.Reply wrong = Browsers.signIn(server, "owner@example.com", "whatever password");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
        assertThat(unknown.setCookie()).isNull();
        JsonNode failed = audit("?action=session.sign_in_failed");
        List<String> actors = new ArrayList<>();
        failed.path("entries").forEach(e -> actors.add(e.path("actor").asText()));
        assertThat(actors).contains("nobody@example.com", "owner@example.com");
    }

    @Test
    void sign_in_makes_a_new_session_id_and_the_cookie_brought_in_is_not_kept() {
        Browsers.Reply first = Browsers.signIn(server, "owner@example.com", Browsers.PASSWORD);
        Browsers.Signed before = Browsers.signed("owner@example.com", first);
        // an attacker's planted cookie, and a real one, brought to a sign-in: neither survives it
        Browsers.Reply again = Browsers.send(server, "POST", "/api/v1/session",
                Json.object().put("email", "owner@example.com").put("password", Browsers.PASSWORD).toString(),
                before.cookie() + "; weft_session=planted", null);
        Browsers.Signed after = Browsers.signed("owner@example.com", again);
        assertThat(after.cookie()).isNotEqualTo(before.cookie()).doesNotContain("planted");
        assertThat(Browsers.send(server, "GET", "/api/v1/flows", null, before).status()).isEqualTo(401);
        assertThat(Browsers.send(server, "GET", "/api/v1/flows", null, after).status()).isEqualTo(200);
        assertThat(actions(audit("?action=session.sign_in&actor=owner@example.com&limit=1"))).hasSize(1);
    }

    @Test
    void nobody_changes_their_own_membership_and_roles_change_only_by_an_owner() {
        Browsers.Signed editor = Browsers.member(server, owner, "ed@example.com", "editor");
        Browsers.Reply raise = Browsers.send(server, "PUT", "/api/v1/members/" + editor.userId(),
                "{\"role\": \"owner\"}", editor);
        assertThat(raise.status()).isEqualTo(403);
        assertThat(raise.body()).contains("\"field\":\"role\"");   // refused by the route policy: editors manage no one
        Browsers.Reply self = Browsers.send(server, "PUT", "/api/v1/members/" + owner.userId(), "{\"role\": \"viewer\"}", owner);
        assertThat(self.status()).isEqualTo(403);
        assertThat(self.body()).contains("your own membership");
        assertThat(Browsers.send(server, "PUT", "/api/v1/members/" + editor.userId(), "{\"role\": \"boss\"}", owner).body())
                .contains("\"field\":\"role\"", "owner, editor, runner, viewer");

        Browsers.Reply lower = Browsers.send(server, "PUT", "/api/v1/members/" + editor.userId(), "{\"role\": \"viewer\"}", owner);
        assertThat(lower.status()).isEqualTo(200);
        assertThat(lower.json().path("role").asText()).isEqualTo("viewer");
        // the change holds at once for the member's live session
        assertThat(Browsers.send(server, "POST", "/api/v1/flows", "{}", editor).status()).isEqualTo(403);
        assertThat(actions(audit("?object_type=user&object_id=" + editor.userId())))
                .contains("member.role " + editor.userId());
        assertThat(actions(audit("?action=member.self_change_refused"))).contains("member.self_change_refused " + owner.userId());
    }

    @Test
    void a_disabled_member_is_signed_out_at_once_and_cannot_sign_in() {
        Browsers.Signed runner = Browsers.member(server, owner, "run@example.com", "runner");
        assertThat(Browsers.send(server, "GET", "/api/v1/tasks", null, runner).status()).isEqualTo(200);
        assertThat(Browsers.send(server, "POST", "/api/v1/members/" + runner.userId() + "/disable", null, owner).status())
                .isEqualTo(200);
        assertThat(Browsers.send(server, "GET", "/api/v1/tasks", null, runner).status()).isEqualTo(401);
        assertThat(Browsers.signIn(server, "run@example.com", Browsers.PASSWORD).status()).isEqualTo(401);
        Browsers.send(server, "POST", "/api/v1/members/" + runner.userId() + "/enable", null, owner);
        Browsers.Reply reset = Browsers.send(server, "POST", "/api/v1/members/" + runner.userId() + "/password",
                "{\"password\": \"a brand new secret\"}", owner);
        assertThat(reset.status()).isEqualTo(204);
        assertThat(Browsers.signIn(server, "run@example.com", Browsers.PASSWORD).status()).isEqualTo(401);
        assertThat(Browsers.signIn(server, "run@example.com", "a brand new secret").status()).isEqualTo(201);
        assertThat(actions(audit("?object_id=" + runner.userId())))
                .contains("member.disable " + runner.userId(), "member.enable " + runner.userId(),
                        "member.password_reset " + runner.userId());
    }

    @Test
    void someone_with_an_account_joins_another_workspace_with_their_own_password_and_keeps_the_first() {
        Browsers.Signed dana = Browsers.member(server, owner, "dana@example.com", "viewer");
        Browsers.Signed elsewhere = Browsers.signed("owner@example.com",
                Browsers.signIn(server, "owner@example.com", Browsers.PASSWORD));   // a second session of the owner
        long lab = Browsers.send(server, "POST", "/api/v1/workspaces", "{\"name\": \"Lab\"}", elsewhere).json()
                .path("id").asLong();
        assertThat(Browsers.send(server, "POST", "/api/v1/session/workspace", "{\"workspace_id\": " + lab + "}",
                elsewhere).status()).isEqualTo(200);
        String token = Browsers.send(server, "POST", "/api/v1/invitations", "{\"role\": \"editor\"}", elsewhere).json()
                .path("token").asText();
        String accept = "/api/v1/invitations/" + token + "/accept";

        Browsers.Reply wrong = Browsers.send(server, "POST", accept,
                Json.object().put("email", "dana@example.com").put("password", "not her password").toString(), null);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.setCookie()).isNull();
        assertThat(Browsers.send(server, "GET", "/api/v1/invitations/" + token, null, null).status())
                .as("a wrong password leaves the invitation unused").isEqualTo(200);

        Browsers.Reply joined = Browsers.send(server, "POST", accept,
                Json.object().put("email", "dana@example.com").put("password", Browsers.PASSWORD).toString(), null);
        assertThat(joined.status()).as(joined.body()).isEqualTo(201);
        assertThat(joined.json().path("workspace").path("id").asLong()).isEqualTo(lab);
        assertThat(joined.json().path("user").path("role").asText()).isEqualTo("editor");
        assertThat(joined.json().path("workspaces").findValuesAsText("name")).containsExactly("Default", "Lab");
        assertThat(joined.json().path("workspaces").findValuesAsText("role")).containsExactly("viewer", "editor");
        assertThat(Browsers.send(server, "GET", "/api/v1/session", null, dana).json().path("user").path("role").asText())
                .as("her first workspace and its role are unchanged").isEqualTo("viewer");
        assertThat(Browsers.signIn(server, "dana@example.com", Browsers.PASSWORD).status())
                .as("her password is unchanged").isEqualTo(201);

        String again = Browsers.send(server, "POST", "/api/v1/invitations", "{\"role\": \"owner\"}", elsewhere).json()
                .path("token").asText();
        Browsers.Reply twice = Browsers.send(server, "POST", "/api/v1/invitations/" + again + "/accept",
                Json.object().put("email", "dana@example.com").put("password", Browsers.PASSWORD).toString(), null);
        assertThat(twice.status()).as("a member already: no second membership, no role change").isEqualTo(409);
        JsonNode members = Browsers.send(server, "GET", "/api/v1/members", null, elsewhere).json().path("members");
        assertThat(members.findValuesAsText("email")).containsExactlyInAnyOrder("owner@example.com", "dana@example.com");
        members.forEach(m -> {
            if (m.path("email").asText().equals("dana@example.com")) assertThat(m.path("role").asText()).isEqualTo("editor");
        });
    }

    @Test
    void forged_used_and_expired_invitations_are_refused_alike() throws Exception {
        Browsers.Reply invite = Browsers.send(server, "POST", "/api/v1/invitations", "{\"role\": \"viewer\"}", owner);
        String token = invite.json().path("token").asText();
        assertThat(Browsers.send(server, "GET", "/api/v1/invitations/" + token, null, null).json().path("role").asText())
                .isEqualTo("viewer");
        String body = Json.object().put("email", "vi@example.com").put("password", Browsers.PASSWORD).toString();
        Browsers.Reply forged = Browsers.send(server, "POST", "/api/v1/invitations/" + token + "x/accept", body, null);
        assertThat(forged.status()).isEqualTo(404);
        assertThat(Browsers.send(server, "POST", "/api/v1/invitations/" + token + "/accept", body, null).status()).isEqualTo(201);
        Browsers.Reply used = Browsers.send(server, "POST", "/api/v1/invitations/" + token + "/accept",
                Json.object().put("email", "vi2@example.com").put("password", Browsers.PASSWORD).toString(), null);
        assertThat(used.status()).isEqualTo(404);
        assertThat(used.body()).isEqualTo(forged.body());

        // an invitation that ended an hour ago, written as another process sharing the database would
        try (Database database = Database.openSqlite(server.dataDir())) {
            Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(8)), ZoneOffset.UTC);
            new JdbcUserStore(database, past).invite(Sessions.digest("expired-token"), "editor", "owner@example.com",
                    Instant.now().minus(Duration.ofHours(1)));
        }
        Browsers.Reply expired = Browsers.send(server, "POST", "/api/v1/invitations/expired-token/accept",
                Json.object().put("email", "late@example.com").put("password", Browsers.PASSWORD).toString(), null);
        assertThat(expired.status()).isEqualTo(404);
        assertThat(expired.body()).isEqualTo(forged.body());
        assertThat(Browsers.send(server, "GET", "/api/v1/members", null, owner).body())
                .contains("vi@example.com").doesNotContain("vi2@example.com", "late@example.com");
    }

    @Test
    void a_password_change_ends_every_session_and_the_account_lists_and_revokes_its_own() {
        Browsers.Signed viewer = Browsers.member(server, owner, "pw@example.com", "viewer");
        Browsers.Signed other = Browsers.signed("pw@example.com", Browsers.signIn(server, "pw@example.com", Browsers.PASSWORD));
        JsonNode sessions = Browsers.send(server, "GET", "/api/v1/account/sessions", null, viewer).json();
        assertThat(sessions.path("sessions")).hasSize(2);
        String otherId = null;
        for (JsonNode s : sessions.path("sessions")) if (!s.path("current").asBoolean()) otherId = s.path("id").asText();
        assertThat(Browsers.send(server, "DELETE", "/api/v1/account/sessions/" + otherId, null, viewer).status()).isEqualTo(204);
        assertThat(Browsers.send(server, "GET", "/api/v1/account", null, other).status()).isEqualTo(401);

        Browsers.Reply wrongCurrent = Browsers.send(server, "PUT", "/api/v1/account/password",
                "{\"current_password\": \"not mine at all\", \"new_password\": \"another long one\"}", viewer);
        assertThat(wrongCurrent.status()).isEqualTo(403);
        Browsers.Reply changed = Browsers.send(server, "PUT", "/api/v1/account/password",
                "{\"current_password\": \"" + Browsers.PASSWORD + "\", \"new_password\": \"another long one\"}", viewer);
        assertThat(changed.status()).isEqualTo(201);
        assertThat(Browsers.send(server, "GET", "/api/v1/account", null, viewer).status()).isEqualTo(401);
        Browsers.Signed renewed = Browsers.signed("pw@example.com", changed);
        assertThat(Browsers.send(server, "GET", "/api/v1/account", null, renewed).json().path("email").asText())
                .isEqualTo("pw@example.com");
        assertThat(Browsers.send(server, "GET", "/api/v1/account", null, TestServer.ADMIN, null).status()).isEqualTo(401);
    }

    @Test
    void management_changes_are_audited_with_the_object_id_and_the_log_pages_and_filters() {
        Browsers.Signed editor = Browsers.member(server, owner, "builder@example.com", "editor");
        Browsers.Reply created = Browsers.send(server, "POST", "/api/v1/flows", TestServer.example("hello.json"), editor);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String flow = created.json().path("id").asText();
        assertThat(Browsers.send(server, "POST", "/api/v1/flows/" + flow + "/publish", null, editor).status()).isEqualTo(201);
        Browsers.Reply key = Browsers.send(server, "POST", "/api/v1/keys", "{\"name\": \"ci\"}", editor);
        String keyId = key.json().path("id").asText();
        Browsers.send(server, "DELETE", "/api/v1/keys/" + keyId, null, editor);
        server.send("DELETE", "/api/v1/flows/" + flow, null, null, TestServer.ADMIN_AUTH);

        JsonNode mine = audit("?actor=builder@example.com");
        assertThat(actions(mine)).containsSubsequence("key.revoke " + keyId, "key.create " + keyId,
                "flow.publish " + flow, "flow.create " + flow);
        assertThat(actions(audit("?actor=admin-token&action=flow.delete"))).containsExactly("flow.delete " + flow);

        JsonNode page = audit("?actor=builder@example.com&limit=2");
        assertThat(page.path("entries")).hasSize(2);
        JsonNode next = audit("?actor=builder@example.com&limit=2&before=" + page.path("next_before").asLong());
        assertThat(actions(next)).containsExactly("flow.publish " + flow, "flow.create " + flow);
        assertThat(audit("?actor=builder@example.com&from=2999-01-01T00:00:00Z").path("entries")).isEmpty();

        assertThat(Browsers.send(server, "GET", "/api/v1/audit?from=yesterday", null, owner).body())
                .contains("\"field\":\"from\"");
        assertThat(Browsers.send(server, "GET", "/api/v1/audit?limit=0", null, owner).body()).contains("\"field\":\"limit\"");
        assertThat(Browsers.send(server, "GET", "/api/v1/audit", null, editor).status()).isEqualTo(403);
    }

    @Test
    void the_session_lists_what_the_members_role_allows_so_the_ui_shows_only_those_controls() {
        Map<String, List<String>> expected = Map.of(
                "viewer", List.of("read"),
                "runner", List.of("read", "run"),
                "editor", List.of("read", "run", "build"));
        for (Map.Entry<String, List<String>> role : expected.entrySet()) {
            Browsers.Signed member = Browsers.member(server, owner, "ui-" + role.getKey() + "@example.com", role.getKey());
            JsonNode user = Browsers.send(server, "GET", "/api/v1/session", null, member).json().path("user");
            assertThat(user.path("role").asText()).isEqualTo(role.getKey());
            List<String> permissions = new ArrayList<>();
            user.path("permissions").forEach(p -> permissions.add(p.asText()));
            assertThat(permissions).as(role.getKey()).containsExactlyElementsOf(role.getValue());
            // what the list leaves out, the server refuses: a viewer or runner may not save a flow
            int save = Browsers.send(server, "POST", "/api/v1/flows", TestServer.example("hello.json"), member).status();
            assertThat(save == 403).as(role.getKey() + " saving a flow").isEqualTo(!permissions.contains("build"));
        }
        JsonNode ownerUser = Browsers.send(server, "GET", "/api/v1/session", null, owner).json().path("user");
        assertThat(ownerUser.path("permissions").toString()).isEqualTo("[\"read\",\"run\",\"build\",\"manage\"]");
    }
}
