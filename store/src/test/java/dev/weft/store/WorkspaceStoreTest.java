package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.store.testing.TestPostgres;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskOutcome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stores' workspace scoping on both databases: lists of one workspace hold only its flows, keys, tasks,
 * credentials, MCP servers and knowledge bases; a task takes its flow's workspace; the same credential, MCP server
 * or knowledge base name lives in two workspaces, and a task's lookup finds its own workspace's; a session moves only into a workspace its user is a member of.
 */
class WorkspaceStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
    private static final CredentialCipher CIPHER = new CredentialCipher(new byte[32]);

    @TempDir
    Path dataDir;
    private Database database;

    @AfterEach
    void close() {
        if (database != null) database.close();
    }

    private Database open(String dialect) {
        database = dialect.equals("sqlite") ? Database.openSqlite(dataDir) : Database.openPostgres(TestPostgres.newDatabase());
        return database;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void each_workspace_lists_and_resolves_only_its_own_objects(String dialect) {
        Database db = open(dialect);
        JdbcUserStore users = new JdbcUserStore(db, CLOCK);
        long b = users.createWorkspace("B", null).id();
        JdbcFlowStore flows = new JdbcFlowStore(db, CLOCK);
        FlowRecord inA = flows.create("a", Json.read("{\"nodes\": []}"));
        FlowRecord inB = flows.create("b", Json.read("{\"nodes\": []}"), b);
        flows.publish(inA.id(), inA.draft());
        flows.publish(inB.id(), inB.draft());
        assertThat(flows.list(1)).extracting(FlowRecord::id).containsExactly(inA.id());
        assertThat(flows.list(b)).extracting(FlowRecord::id).containsExactly(inB.id());
        assertThat(flows.get(inB.id()).orElseThrow().workspaceId()).isEqualTo(b);
        assertThat(flows.workspaceOf(inB.id())).hasValue(b);
        assertThat(flows.workspaceOf(999_999)).isEmpty();

        JdbcTaskStore tasks = new JdbcTaskStore(db, flows, CLOCK, "p1", Duration.ofSeconds(30));
        TaskRecord taskA = tasks.accept().accept(new NewTask(inA.id(), 1, "s", "e", "e", Map.of(), null),
                StartMode.QUEUED, AcceptHook.NONE).task();
        TaskRecord taskB = tasks.accept().accept(new NewTask(inB.id(), 1, "s", "e", "e", Map.of(), null),
                StartMode.QUEUED, AcceptHook.NONE).task();
        assertThat(taskA.workspaceId()).isEqualTo(1);
        assertThat(taskB.workspaceId()).isEqualTo(b);
        assertThat(tasks.reads().get(taskB.id()).orElseThrow().workspaceId()).isEqualTo(b);
        JdbcTaskList list = new JdbcTaskList(db);
        assertThat(list.newest(b, null, null, null, Long.MAX_VALUE, 50)).extracting(TaskRecord::id)
                .containsExactly(taskB.id());
        assertThat(list.newest(1, inB.id(), null, null, Long.MAX_VALUE, 50)).isEmpty();
        assertThat(list.latestPerFlow(1)).extracting(TaskRecord::id).containsExactly(taskA.id());

        JdbcKeyStore keys = new JdbcKeyStore(db, CLOCK);
        keys.create("ka", "a", "h1", null, null);
        keys.create("kb", "b", "h2", null, List.of(inB.id()), b);
        assertThat(keys.list(1)).extracting(KeyRecord::id).containsExactly("ka");
        assertThat(keys.list(b)).extracting(KeyRecord::id).containsExactly("kb");
        assertThat(keys.find("kb").orElseThrow().workspaceId()).isEqualTo(b);

        JdbcCredentialStore credentials = new JdbcCredentialStore(db, CIPHER, CLOCK);
        assertThat(credentials.in(1).create("openai", Credentials.Type.BEARER, null, "sk-a", List.of())).isPresent();
        assertThat(credentials.in(b).create("openai", Credentials.Type.BEARER, null, "sk-b", List.of())).isPresent();
        assertThat(credentials.in(b).create("openai", Credentials.Type.BEARER, null, "again", List.of())).isEmpty();
        assertThat(credentials.find(taskA.id(), "openai").orElseThrow().secret()).isEqualTo("sk-a");
        assertThat(credentials.find(taskB.id(), "openai").orElseThrow().secret()).isEqualTo("sk-b");
        assertThat(credentials.in(b).list()).hasSize(1);
        assertThat(credentials.in(b).delete("openai")).isTrue();
        assertThat(credentials.find(taskB.id(), "openai")).isEmpty();
        assertThat(credentials.find(taskA.id(), "openai").orElseThrow().secret()).isEqualTo("sk-a");

        JdbcMcpServerStore mcp = new JdbcMcpServerStore(db, CLOCK);
        McpServerRecord.Settings urlA = new McpServerRecord.Settings("http", "https://a.example/mcp", Map.of(), null, List.of());
        McpServerRecord.Settings urlB = new McpServerRecord.Settings("http", "https://b.example/mcp", Map.of(), null, List.of());
        assertThat(mcp.create(1, "docs", urlA)).isPresent();
        assertThat(mcp.create(b, "docs", urlB)).isPresent();
        assertThat(mcp.create(b, "docs", urlA)).isEmpty();
        assertThat(mcp.findForTask(taskA.id(), "docs").orElseThrow().url()).isEqualTo("https://a.example/mcp");
        assertThat(mcp.findForTask(taskB.id(), "docs").orElseThrow().url()).isEqualTo("https://b.example/mcp");
        assertThat(mcp.findForTask(taskB.id(), "docs").orElseThrow().workspaceId()).isEqualTo(b);
        assertThat(mcp.update(b, "docs", urlA).orElseThrow().version()).isEqualTo(2);
        assertThat(mcp.find(1, "docs").orElseThrow().version()).isEqualTo(1);
        assertThat(mcp.list(b)).extracting(McpServerRecord::url).containsExactly("https://a.example/mcp");
        assertThat(mcp.delete(b, "docs")).isTrue();
        assertThat(mcp.findForTask(taskB.id(), "docs")).isEmpty();
        assertThat(mcp.list(1)).extracting(McpServerRecord::name).containsExactly("docs");

        dev.weft.store.kb.JdbcKnowledgeBases kbs = new dev.weft.store.kb.JdbcKnowledgeBases(db, CLOCK);
        dev.weft.store.kb.KnowledgeBase manualA = kbs.create(1, kb("manual")).orElseThrow();
        dev.weft.store.kb.KnowledgeBase manualB = kbs.create(b, kb("manual")).orElseThrow();
        assertThat(kbs.create(b, kb("manual"))).isEmpty();
        assertThat(kbs.findByName(b, "manual").orElseThrow().id()).isEqualTo(manualB.id());
        assertThat(kbs.findByName(1, "manual").orElseThrow().id()).isEqualTo(manualA.id());
        assertThat(kbs.find(b, manualA.id())).isEmpty();
        assertThat(kbs.list(b)).extracting(dev.weft.store.kb.KnowledgeBase::id).containsExactly(manualB.id());
        assertThat(kbs.taskWorkspace(taskB.id())).hasValue(b);
        assertThat(kbs.taskWorkspace(999_999)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void a_workspace_is_deleted_only_once_empty_and_its_sessions_move_or_end(String dialect) {
        Database db = open(dialect);
        JdbcUserStore users = new JdbcUserStore(db, CLOCK);
        JdbcSessionStore sessions = new JdbcSessionStore(db);
        UserRecord owner = ((JdbcUserStore.Made) users.create("owner@example.com", "hash", "editor")).user();
        long b = users.createWorkspace("B", owner.id()).id();
        Instant now = CLOCK.instant();
        users.invite(b, "invite-1", "viewer", "owner@example.com", now.plus(Duration.ofDays(1)));
        UserRecord guest = users.acceptInvitation("invite-1", "guest@example.com", "hash").orElseThrow();   // only in B
        users.invite(b, "invite-2", "viewer", "owner@example.com", now.plus(Duration.ofDays(1)));   // not taken
        Instant later = now.plus(Duration.ofHours(1));
        sessions.create(new SessionRecord("s-owner-b", owner.id(), "c", now, now, later, null, null, b), "h-owner-b");
        sessions.create(new SessionRecord("s-guest-b", guest.id(), "c", now, now, later, null, null, b), "h-guest-b");
        sessions.create(new SessionRecord("s-owner-1", owner.id(), "c", now, now, later, null, null, 1), "h-owner-1");

        JdbcFlowStore flows = new JdbcFlowStore(db, CLOCK);
        FlowRecord flow = flows.create("kept", Json.read("{\"nodes\": []}"), b);
        JdbcCredentialStore credentials = new JdbcCredentialStore(db, CIPHER, CLOCK);
        assertThat(credentials.in(b).create("openai", Credentials.Type.BEARER, null, "sk-b", List.of())).isPresent();
        assertThat(users.deleteWorkspace(b)).containsExactly(Map.entry("flows", 1), Map.entry("credentials", 1));
        assertThat(users.workspaceName(b)).as("nothing deleted").contains("B");
        assertThat(users.find(guest.id(), b)).isPresent();

        flows.delete(flow.id());
        assertThat(credentials.in(b).delete("openai")).isTrue();
        assertThat(users.workspaceHolds(b)).isEmpty();
        assertThat(users.deleteWorkspace(b)).isEmpty();

        assertThat(users.workspaceName(b)).isEmpty();
        assertThat(users.workspaces(owner.id())).extracting(WorkspaceRecord::id).containsExactly(1L);
        assertThat(users.workspaces(guest.id())).isEmpty();
        assertThat(users.invitation("invite-2")).isEmpty();
        Instant idle = now.minus(Duration.ofDays(1));
        assertThat(sessions.findLive("h-owner-b", now, idle)).get().extracting(SessionRecord::workspaceId)
                .as("moved to the owner's other workspace").isEqualTo(1L);
        assertThat(sessions.findLive("h-guest-b", now, idle)).as("ended: the guest has no other workspace").isEmpty();
        assertThat(sessions.findLive("h-owner-1", now, idle)).get().extracting(SessionRecord::workspaceId).isEqualTo(1L);
        assertThat(users.workspaceName(JdbcUserStore.DEFAULT_WORKSPACE)).contains("Default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void a_deleted_workspaces_task_history_goes_in_the_next_retention_round_whatever_its_age(String dialect) {
        Workspaces w = twoWorkspaces(open(dialect));
        Database db = w.db();
        JdbcTaskStore tasks = w.tasks();
        long kept = finishedTask(tasks, w.inA());
        List<Long> history = List.of(finishedTask(tasks, w.inB()), finishedTask(tasks, w.inB()),
                finishedTask(tasks, w.inB()));
        Retention retention = new Retention(db, CLOCK, Duration.ofDays(7), 2);
        assertThat(retention.runOnce()).as("all of them are new").isZero();

        w.deleteB();
        assertThat(tasks.reads().get(history.get(0))).as("until the next round").isPresent();

        assertThat(retention.runOnce()).as("three tasks in batches of two").isEqualTo(3);
        for (long id : history) {
            assertThat(tasks.reads().get(id)).isEmpty();
            assertThat(tasks.reads().steps(id)).isEmpty();
        }
        assertThat(tasks.reads().get(kept)).isPresent();
        assertThat(tasks.reads().steps(kept)).extracting(StepRecord::nodeId).containsExactly("work");
        assertThat(Rows.one(db.readers(), "SELECT COUNT(*) FROM workspace_purges", row -> row.getLong(1)))
                .as("the mark goes with the last task").contains(0L);
        assertThat(retention.runOnce()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void with_retention_off_finished_tasks_stay_but_a_deleted_workspaces_go(String dialect) {
        Workspaces w = twoWorkspaces(open(dialect));
        Database db = w.db();
        JdbcTaskStore tasks = w.tasks();
        long kept = finishedTask(tasks, w.inA());
        long gone = finishedTask(tasks, w.inB());
        w.deleteB();

        Retention off = new Retention(db, Clock.offset(CLOCK, Duration.ofDays(3_650)), null, 10);
        assertThat(off.runOnce()).isEqualTo(1);
        assertThat(tasks.reads().get(gone)).isEmpty();
        assertThat(tasks.reads().get(kept)).as("ten years on, retention off").isPresent();
    }

    /** The default workspace and workspace B, each with a published flow, and the task store over them. */
    private record Workspaces(Database db, JdbcUserStore users, JdbcFlowStore flows, JdbcTaskStore tasks, long b,
                              long inA, long inB) {
        /** Deletes B's flow, then B. */
        void deleteB() {
            flows.delete(inB);
            assertThat(users.deleteWorkspace(b)).isEmpty();
        }
    }

    private static Workspaces twoWorkspaces(Database db) {
        JdbcUserStore users = new JdbcUserStore(db, CLOCK);
        long b = users.createWorkspace("B", null).id();
        JdbcFlowStore flows = new JdbcFlowStore(db, CLOCK);
        FlowRecord inA = flows.create("a", Json.read("{\"nodes\": []}"));
        FlowRecord inB = flows.create("b", Json.read("{\"nodes\": []}"), b);
        flows.publish(inA.id(), inA.draft());
        flows.publish(inB.id(), inB.draft());
        return new Workspaces(db, users, flows, new JdbcTaskStore(db, flows, CLOCK, "p1", Duration.ofSeconds(30)), b,
                inA.id(), inB.id());
    }

    /** A task of {@code flowId} with one finished step, itself finished. */
    private static long finishedTask(JdbcTaskStore tasks, long flowId) {
        long id = tasks.accept().accept(new NewTask(flowId, 1, "s", "e", "e", Map.of(), null), StartMode.CLAIMED,
                AcceptHook.NONE).task().id();
        tasks.journal().stepFinished(id, new StepRecord("work", "template", StepState.DONE, "success", Json.object(),
                Json.object().put("text", "hi"), null, List.of(), CLOCK.instant(), CLOCK.instant()))
                .toCompletableFuture().join();
        tasks.journal().taskFinished(id, TaskOutcome.completed(Json.object()), CLOCK.instant()).toCompletableFuture().join();
        return id;
    }

    private static dev.weft.store.kb.KnowledgeBase.New kb(String name) {
        return new dev.weft.store.kb.KnowledgeBase.New(name, "docs", new dev.weft.store.kb.KnowledgeBase.Embedding(
                dev.weft.store.kb.KnowledgeBase.Embedding.Provider.LOCAL, "all-minilm-l6-v2", 3, null, null),
                new dev.weft.store.kb.KnowledgeBase.Chunking(200, 20));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void a_session_starts_in_its_users_first_workspace_and_moves_only_into_their_own(String dialect) {
        Database db = open(dialect);
        JdbcUserStore users = new JdbcUserStore(db, CLOCK);
        UserRecord ann = ((JdbcUserStore.Made) users.createFirstOwner("ann@example.com", "h")).user();
        long c = users.createWorkspace("C", ann.id()).id();
        long d = users.createWorkspace("D", null).id();
        assertThat(users.workspaces(ann.id())).extracting(WorkspaceRecord::name).containsExactly("Default", "C");
        JdbcSessionStore sessions = new JdbcSessionStore(db);
        Instant now = CLOCK.instant();
        long first = sessions.create(new SessionRecord("s1", ann.id(), "csrf", now, now, now.plusSeconds(60), null, null),
                "hash1");
        assertThat(first).isEqualTo(1);
        assertThat(sessions.switchWorkspace(ann.id(), "s1", c)).isTrue();
        assertThat(sessions.findLive("hash1", now, now.minusSeconds(1)).orElseThrow().workspaceId()).isEqualTo(c);
        assertThat(sessions.switchWorkspace(ann.id(), "s1", d)).isFalse();
        assertThat(sessions.findLive("hash1", now, now.minusSeconds(1)).orElseThrow().workspaceId()).isEqualTo(c);
        assertThat(users.find(ann.id(), d).orElseThrow().role()).isNull();
        assertThat(users.find(ann.id(), c).orElseThrow().role()).isEqualTo("owner");
    }
}
