package dev.kedge.edge.meta.internal;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.kedge.core.Message;
import dev.kedge.core.Resource;
import dev.kedge.core.json.Json;
import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.StoreException;

/**
 * Queries answered from {@code meta} (KubeEdge's {@code processQuery} local branch): by key when the resource names
 * an object, else every row of the type in the namespace ({@code *}: all namespaces). The answer is KubeEdge's
 * shape: a JSON array of the stored JSON strings.
 */
final class LocalAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(LocalAnswers.class);

    private final EdgeStore store;
    private final Replies replies;
    private final MetaCounters counters;

    LocalAnswers(EdgeStore store, Replies replies, MetaCounters counters) {
        this.store = store;
        this.replies = replies;
        this.counters = counters;
    }

    void query(Message m, Resource r) {
        List<String> values;
        try {
            values = store.read(c -> {
                if (!r.name().isEmpty()) {
                    String v = MetaTable.value(c, m.resource());
                    return v == null ? List.<String>of() : List.of(v);
                }
                List<String> out = new ArrayList<>();
                for (MetaTable.Row row : MetaTable.byType(c, r.type(), r.namespace())) {
                    out.add(row.value());
                }
                return out;
            });
        } catch (StoreException e) {
            LOG.error("query {} from {} not answered: {}", m.resource(), m.source(), e.getMessage());
            replies.error(m, "meta read failed: " + e.getMessage());
            return;
        }
        counters.localAnswers.increment();
        replies.answer(m, array(values));
    }

    static ArrayNode array(List<String> values) {
        ArrayNode a = Json.array();
        values.forEach(a::add);
        return a;
    }
}
