package dev.kedge.edge.store.command;

import java.sql.ResultSet;
import java.sql.Statement;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.IntegrityResult;
import dev.kedge.edge.store.StoreStats;

/** {@code store:info}: the database file, its size and pages, the write queue and counters. */
@Service
@Command(scope = "store", name = "info", description = "Shows the edge database: file, size, write queue, counters")
public class InfoCommand implements Action {

    @Reference
    private EdgeStore store;

    @Override
    public Object execute() {
        StoreStats s = store.stats();
        long[] pages = store.read(c -> {
            try (Statement st = c.createStatement()) {
                return new long[] {single(st, "PRAGMA page_count"), single(st, "PRAGMA page_size"),
                    single(st, "PRAGMA freelist_count")};
            }
        });
        ShellTable t = new ShellTable();
        t.column("Property");
        t.column("Value");
        t.addRow().addContent("File", s.file());
        t.addRow().addContent("Size", s.sizeBytes() + " bytes");
        t.addRow().addContent("Pages", pages[0] + " x " + pages[1] + " bytes (" + pages[2] + " free)");
        t.addRow().addContent("WAL size", s.walBytes() + " bytes");
        t.addRow().addContent("Write queue", s.queued() + " / " + s.queueCapacity());
        t.addRow().addContent("Commits", s.commits());
        t.addRow().addContent("Writes", s.writes());
        t.addRow().addContent("Failed writes", s.failures());
        t.addRow().addContent("Rejected (queue full)", s.rejected());
        t.addRow().addContent("Last commit", String.format("%.2f ms, %d writes", s.lastCommitMillis(), s.lastBatch()));
        t.addRow().addContent("Integrity", describe(s.integrity()));
        t.print(System.out);
        return null;
    }

    static String describe(IntegrityResult r) {
        return r == null ? "-" : r.summary() + " (checked " + r.at() + ", " + r.millis() + " ms)";
    }

    private static long single(Statement st, String sql) throws java.sql.SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }
}
