package dev.weft.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * The embedded database: one SQLite file in the data folder (WAL mode, {@code synchronous=FULL}, so an accepted
 * task survives a power cut), migrated by Flyway at open. Reads use a small pool; all writes go through one
 * {@link GroupCommit} writer.
 */
public final class Database implements AutoCloseable {

    public static final String FILE_NAME = "weft.db";
    public static final int READ_POOL_DEFAULT = 8;

    private final HikariDataSource readers;
    private final Connection writerConnection;
    private final GroupCommit writer;

    private Database(HikariDataSource readers, Connection writerConnection, GroupCommit writer) {
        this.readers = readers;
        this.writerConnection = writerConnection;
        this.writer = writer;
    }

    /** Opens (creating and migrating when needed) the database in {@code dataDir}. */
    public static Database openSqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
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
            HikariDataSource dataSource = new HikariDataSource(pool);
            migrate(dataSource, Map.of("id_pk", "INTEGER PRIMARY KEY AUTOINCREMENT"));
            Connection writerConnection = dataSource.getConnection();
            return new Database(dataSource, writerConnection, new GroupCommit(writerConnection));
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("cannot open the database in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(DataSource dataSource, Map<String, String> placeholders) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(placeholders)
                .load()
                .migrate();
    }

    /** Where reads come from (WAL: readers never wait for the writer). */
    public DataSource readers() {
        return readers;
    }

    public GroupCommit writer() {
        return writer;
    }

    @Override
    public void close() {
        writer.close();
        try {
            writerConnection.close();
        } catch (SQLException ignored) {
            // closing on shutdown
        }
        readers.close();
    }
}
