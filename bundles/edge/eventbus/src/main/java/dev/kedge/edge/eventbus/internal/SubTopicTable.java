package dev.kedge.edge.eventbus.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.kedge.edge.store.EdgeStore;

/** KubeEdge's {@code sub_topics} table (one column, the topic filter) in the edge database. */
final class SubTopicTable {
    static final String OWNER = "eventbus";
    /** KubeEdge's ORM schema for {@code SubTopics{Topic string `orm:"column(topic); type(text); pk"`}}. */
    static final List<String> MIGRATIONS = List.of(
            "CREATE TABLE IF NOT EXISTS sub_topics (topic TEXT NOT NULL PRIMARY KEY)");

    private final EdgeStore store;

    SubTopicTable(EdgeStore store) {
        this.store = store;
        store.migrate(OWNER, MIGRATIONS);
    }

    List<String> all() {
        return store.read(c -> {
            List<String> topics = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT topic FROM sub_topics ORDER BY rowid");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    topics.add(rs.getString(1));
                }
            }
            return topics;
        });
    }

    CompletableFuture<Integer> add(String topic) {
        return store.write("eventbus sub_topics insert " + topic, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO sub_topics (topic) VALUES (?)")) {
                ps.setString(1, topic);
                return ps.executeUpdate();
            }
        });
    }

    CompletableFuture<Integer> remove(String topic) {
        return store.write("eventbus sub_topics delete " + topic, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sub_topics WHERE topic = ?")) {
                ps.setString(1, topic);
                return ps.executeUpdate();
            }
        });
    }
}
