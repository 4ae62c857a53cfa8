package dev.weft.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * Where Weft keeps everything: the embedded SQLite file in the data folder by default (WAL mode,
 * {@code synchronous=FULL}, so an accepted task survives a power cut), or a PostgreSQL server that many Weft
 * processes share. Migrated by Flyway at open, with one set of migrations for both ({@link Dialect}). Reads use a
 * small pool; this process's writes go through one {@link GroupCommit} writer.
 */
public final class Database implements AutoCloseable {

    /** The workspace V17 made and V18 put every older object in: the admin token's when it names none. */
    public static final long DEFAULT_WORKSPACE = 1;


    public static final String FILE_NAME = "weft.db";
    public static final int READ_POOL_DEFAULT = 8;
    /** How long a PostgreSQL connection may take: a database that is gone fails writes quickly, not after 30 s. */
    public static final long CONNECT_TIMEOUT_MILLIS = 5_000;

    private final String url;
    private final Dialect dialect;
    private final HikariDataSource pool;
    private final GroupCommit writer;
    private final LatestVersions latestVersions;

    private Database(String url, Dialect dialect, HikariDataSource pool) {
        this.url = url;
        this.dialect = dialect;
        this.pool = pool;
        this.latestVersions = new LatestVersions();
        try {
            this.writer = new GroupCommit(pool, dialect.notifySql());
        } catch (SQLException e) {
            pool.close();
            throw new StoreException("cannot open the writer's connection: " + e.getMessage(), e);
        }
    }

    /**
     * Opens the database at {@code jdbcUrl}, or the embedded one in {@code dataDir} when the URL is null or blank;
     * creates and migrates it when needed.
     */
    public static Database open(String jdbcUrl, Path dataDir) {
        if (jdbcUrl == null || jdbcUrl.isBlank()) return openSqlite(dataDir);
        return switch (Dialect.of(jdbcUrl)) {
            case POSTGRESQL -> openPostgres(jdbcUrl);
            case SQLITE -> throw new IllegalArgumentException("the embedded database lives in the data folder: "
                    + "leave the database URL unset and set the data folder instead");
        };
    }

    /** Opens (creating and migrating when needed) the embedded database in {@code dataDir}. */
    public static Database openSqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create the data folder " + dataDir + ": " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath();
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setDataSourceProperties(config.toProperties());
        pool.setMaximumPoolSize(READ_POOL_DEFAULT + 1);
        pool.setPoolName("weft-sqlite");
        return open(url, Dialect.SQLITE, pool);
    }

    /**
     * Opens a PostgreSQL database shared with other Weft processes ({@code jdbc:postgresql://host:port/db}, user
     * and password as URL parameters or from the driver's usual sources); migrates it when needed. Flyway holds
     * a lock while migrating, so processes starting together migrate once.
     */
    public static Database openPostgres(String url) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setMaximumPoolSize(READ_POOL_DEFAULT + 1);
        pool.setPoolName("weft-postgres");
        pool.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        return open(url, Dialect.POSTGRESQL, pool);
    }

    private static Database open(String url, Dialect dialect, HikariConfig config) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the database " + redact(url) + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration", "classpath:db/" + dialect.name().toLowerCase(java.util.Locale.ROOT))
                    .placeholders(dialect.placeholders())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("cannot migrate the database " + redact(url) + ": " + e.getMessage(), e);
        }
        return new Database(url, dialect, pool);
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Where reads come from (SQLite's WAL: readers never wait for the writer). */
    public DataSource readers() {
        return pool;
    }

    public GroupCommit writer() {
        return writer;
    }

    /** The flows' latest version numbers as this process last read them (exact only when no other process writes). */
    LatestVersions latestVersions() {
        return latestVersions;
    }

    /**
     * Runs background work that may touch many rows (retention), in its own short transaction. On SQLite it goes
     * through the one writer like every write; on PostgreSQL it uses a pooled connection, so the writer's batches
     * (accepts, steps, claims) never wait behind it.
     */
    public <T> T writeAside(SqlWork<T> work) {
        if (!dialect.shared()) return writer.run(work);
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            Tx tx = new Tx(connection);
            try {
                T result = work.run(tx);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                tx.closeStatements();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    /** A new connection outside the pool, held for as long as the caller needs it (a LISTEN connection). */
    Connection connectAside() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** The URL without its password, for messages and logs. */
    public String describe() {
        return redact(url);
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }

    @Override
    public void close() {
        writer.close();
        pool.close();
    }
}
