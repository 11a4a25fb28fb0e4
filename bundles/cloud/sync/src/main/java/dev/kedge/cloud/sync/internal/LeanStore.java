package dev.kedge.cloud.sync.internal;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

/**
 * An informer store that keeps a slimmed copy of each object: managedFields are noise for us, and of a Node we need
 * only that it exists. Keeps caches of a large cluster small.
 */
final class LeanStore<T extends HasMetadata> implements ItemStore<T> {
    private final BasicItemStore<T> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final UnaryOperator<T> slim;

    LeanStore(UnaryOperator<T> slim) {
        this.slim = slim;
    }

    static <T extends HasMetadata> LeanStore<T> withoutManagedFields() {
        return new LeanStore<>(o -> {
            if (o.getMetadata() != null) {
                o.getMetadata().setManagedFields(null);
            }
            return o;
        });
    }

    @Override
    public String getKey(T obj) {
        return store.getKey(obj);
    }

    @Override
    public T put(String key, T obj) {
        return store.put(key, slim.apply(obj));
    }

    @Override
    public T remove(String key) {
        return store.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public Stream<T> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public T get(String key) {
        return store.get(key);
    }
}
