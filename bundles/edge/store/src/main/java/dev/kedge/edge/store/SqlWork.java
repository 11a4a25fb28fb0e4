package dev.kedge.edge.store;

import java.sql.Connection;
import java.sql.SQLException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A piece of database work, run by {@link EdgeStore} on a connection it owns. The work must not commit, roll back,
 * close the connection or change its auto-commit mode, and must not keep the connection after it returns.
 */
@ConsumerType
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
