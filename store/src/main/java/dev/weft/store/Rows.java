package dev.weft.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Small JDBC helpers: parameter binding and row mapping for the stores' queries. */
public final class Rows {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Mapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private Rows() {}

    public static <T> List<T> list(DataSource source, String sql, Mapper<T> mapper, Object... params) {
        try (Connection connection = source.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            return list(statement, mapper);
        } catch (SQLException e) {
            throw new StoreException("query failed: " + e.getMessage(), e);
        }
    }

    public static <T> Optional<T> one(DataSource source, String sql, Mapper<T> mapper, Object... params) {
        List<T> rows = list(source, sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public static <T> List<T> list(PreparedStatement statement, Mapper<T> mapper) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (ResultSet resultSet = statement.executeQuery()) {
            while (resultSet.next()) rows.add(mapper.map(resultSet));
        }
        return rows;
    }

    public static <T> Optional<T> one(Tx tx, String sql, Mapper<T> mapper, Object... params) throws SQLException {
        List<T> rows = list(tx, sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public static <T> List<T> list(Tx tx, String sql, Mapper<T> mapper, Object... params) throws SQLException {
        PreparedStatement statement = tx.prepare(sql);
        bind(statement, params);
        return list(statement, mapper);
    }

    public static int update(Tx tx, String sql, Object... params) throws SQLException {
        PreparedStatement statement = tx.prepare(sql);
        bind(statement, params);
        return statement.executeUpdate();
    }

    public static void bind(PreparedStatement statement, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object value = params[i];
            if (value == null) statement.setNull(i + 1, Types.NULL);
            else if (value instanceof Long l) statement.setLong(i + 1, l);
            else if (value instanceof Integer n) statement.setInt(i + 1, n);
            else if (value instanceof String s) statement.setString(i + 1, s);
            else statement.setObject(i + 1, value);
        }
    }

    /** A nullable BIGINT column. */
    public static Long longOrNull(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }
}
