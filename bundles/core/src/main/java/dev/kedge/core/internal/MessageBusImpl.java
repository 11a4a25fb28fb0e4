package dev.kedge.core.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Inbox;
import dev.kedge.core.Lane;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleInfo;

/**
 * The bus: {@link Module} services are picked up from the registry (whiteboard) and fed from mailboxes the bus owns;
 * a module that takes its messages itself opens an {@link Inbox} on its mailbox instead.
 * Mailboxes are created on first use, by a send or a module, and kept for the life of the bus, so start order does
 * not matter and a module restarted or updated in place picks up where the old instance stopped.
 * <p>Threads: a mailbox with messages and a module gets one of core's shared workers while it drains, none otherwise.
 * The bus's lane has no cap of threads: it is bounded by the number of mailboxes (one drain task each at most), so a
 * module that blocks in {@code receive} holds only its own mailbox and never starves another.
 */
// immediate: the bus activates the modules it binds, so it must not wait for someone to ask for it (Karaf's shell
// did, fetching the service for a command at boot; the edge's shell now starts with the first console connection)
@Component(name = "dev.kedge.core.bus", service = MessageBus.class, immediate = true)
@Designate(ocd = BusConfig.class)
public final class MessageBusImpl implements MessageBus {
    private static final Logger LOG = LoggerFactory.getLogger(MessageBusImpl.class);
    // a drain task waits only until the worker started for it takes it (the lane has no cap of threads)
    private static final int DRAIN_TASKS_WAITING = 1024;

    private volatile BusConfig config;
    private final ComponentContext context;
    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Message>> waiting = new ConcurrentHashMap<>();
    private final LongAdder unmatchedResponses = new LongAdder();
    private volatile boolean closed;
    private final Lane drainers;

    /** Without DS (unit tests, benchmarks): modules are bound as objects with {@link #bindModule}. */
    MessageBusImpl(BusConfig config) {
        this(config, null);
    }

    @Activate
    public MessageBusImpl(BusConfig config, ComponentContext context) {
        this.config = config;
        this.context = context;
        this.drainers = DaemonThreads.onDemand("bus", Integer.MAX_VALUE, DRAIN_TASKS_WAITING);
        LOG.info("Kedge message bus active {} ms after JVM start (mailbox capacity {}, send timeout {} ms)",
                ManagementFactory.getRuntimeMXBean().getUptime(), config.mailboxCapacity(), config.sendTimeoutMs());
    }

    /** Timeouts change live; a new capacity applies to mailboxes created from now on (queued messages are kept). */
    @Modified
    void modified(BusConfig newConfig) {
        this.config = newConfig;
        LOG.info("Kedge message bus reconfigured (mailbox capacity {}, send timeout {} ms)",
                newConfig.mailboxCapacity(), newConfig.sendTimeoutMs());
    }

    /**
     * Modules are bound by reference and their objects fetched on the mailbox thread: a module needs the bus, and
     * getting its service while the bus itself activates would be a circular activation SCR refuses.
     */
    @Reference(name = "module", service = Module.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindModuleReference")
    void bindModuleReference(ServiceReference<Module> ref) {
        BundleContext bc = context.getBundleContext();
        bind(ref, () -> bc.getService(ref), ref.getProperty(Module.NAME), ref.getProperty(Module.GROUP), ref);
    }

    void unbindModuleReference(ServiceReference<Module> ref) {
        unbind(ref, ref.getProperty(Module.NAME)); // waits for a delivery in progress to this module
        context.getBundleContext().ungetService(ref);
    }

    /** Binds a module object directly (unit tests, embedding without DS). */
    void bindModule(Module module, Map<String, Object> properties) {
        bind(module, () -> module, properties.get(Module.NAME), properties.get(Module.GROUP), properties);
    }

    void unbindModule(Module module, Map<String, Object> properties) {
        unbind(module, properties.get(Module.NAME));
    }

    private void bind(Object key, Supplier<Module> resolver, Object name, Object group, Object description) {
        String moduleName = name == null ? "" : name.toString();
        if (moduleName.isEmpty()) {
            LOG.error("a Module service without the '{}' property is ignored: {}", Module.NAME, description);
            return;
        }
        mailbox(moduleName).bind(key, resolver, group == null ? "" : group.toString());
        LOG.debug("module {} bound", moduleName);
    }

    private void unbind(Object key, Object name) {
        Mailbox box = mailboxes.get(name == null ? "" : name.toString());
        if (box != null) {
            box.unbind(key, config.unbindWaitMs());
        }
    }

    @Deactivate
    void deactivate() {
        closed = true;
        mailboxes.values().forEach(Mailbox::close);
        drainers.shutdownNow(); // a module blocked in receive gets an interrupt, as it did with a thread per mailbox
        try {
            if (!drainers.awaitTermination(1, TimeUnit.SECONDS)) {
                LOG.warn("message bus stopped with {} module(s) still in receive", drainers.active());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waiting.values().forEach(f -> f.completeExceptionally(
                new BusException(BusException.Reason.CLOSED, "message bus stopped")));
        waiting.clear();
    }

    @Override
    public void send(String module, Message message) {
        if (module == null || module.isEmpty()) {
            throw new BusException(BusException.Reason.UNROUTABLE, "send needs a module name");
        }
        Mailbox box = mailbox(module);
        box.put(message, waitFor(box));
    }

    /** A module being updated gets the full send timeout; one gone for good (stopped) must not stall its senders. */
    private long waitFor(Mailbox box) {
        return box.detached(TimeUnit.MILLISECONDS.toNanos(config.detachedAfterMs())) ? 0 : config.sendTimeoutMs();
    }

    @Override
    public int sendToGroup(String group, Message message) {
        if (closed) {
            throw new BusException(BusException.Reason.CLOSED, "message bus stopped");
        }
        int delivered = 0;
        for (Mailbox box : members(group)) {
            long wait = waitFor(box);
            if (wait > 0) {
                box.put(message, wait); // a live member that stays full fails the send, loudly
                delivered++;
                continue;
            }
            try {
                box.put(message, 0);
                delivered++;
            } catch (BusException full) {
                // a stopped module's full mailbox is passed by (counted as rejected there); the others still get it
                LOG.debug("group {}: {}", group, full.getMessage());
            }
        }
        return delivered;
    }

    @Override
    public Message sendSync(String module, Message message, Duration timeout) {
        return await(message, timeout, m -> send(module, m));
    }

    @Override
    public Message sendToGroupSync(String group, Message message, Duration timeout) {
        return await(message, timeout, m -> {
            if (sendToGroup(group, m) == 0) {
                throw new BusException(BusException.Reason.UNROUTABLE, "no module in group '" + group + "'");
            }
        });
    }

    @Override
    public boolean respond(Message response) {
        CompletableFuture<Message> f = waiting.remove(response.parentId());
        if (f == null) {
            unmatchedResponses.increment();
            LOG.debug("response {} to {} has nobody waiting", response.id(), response.parentId());
            return false;
        }
        return f.complete(response);
    }

    @Override
    public Inbox openInbox(String module, String group, int capacity, Predicate<Message> admit) {
        if (module == null || module.isEmpty()) {
            throw new BusException(BusException.Reason.UNROUTABLE, "an inbox needs a module name");
        }
        Inbox inbox = mailbox(module).open(group == null ? "" : group, capacity, admit,
                () -> TimeUnit.MILLISECONDS.toNanos(config.detachedAfterMs()));
        LOG.debug("module {} takes its messages through an inbox (bound {})", module, capacity);
        return inbox;
    }

    @Override
    public List<ModuleInfo> modules() {
        List<ModuleInfo> infos = new ArrayList<>();
        long grace = TimeUnit.MILLISECONDS.toNanos(config.detachedAfterMs());
        mailboxes.values().forEach(b -> infos.add(b.info(grace)));
        infos.sort(Comparator.comparing(ModuleInfo::name));
        return infos;
    }

    /** Workers draining mailboxes now: what the bus costs in threads. */
    int threads() {
        return drainers.active();
    }

    long unmatchedResponses() {
        return unmatchedResponses.sum();
    }

    private interface Sender {
        void send(Message m);
    }

    private Message await(Message message, Duration timeout, Sender sender) {
        Message sync = message.withSync(true);
        CompletableFuture<Message> f = new CompletableFuture<>();
        waiting.put(sync.id(), f);
        long ms = timeout == null ? config.syncTimeoutMs() : timeout.toMillis();
        try {
            sender.send(sync);
            return f.get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new BusException(BusException.Reason.TIMEOUT, "no response to " + sync.id() + " ("
                    + sync.operation() + " " + sync.resource() + ") within " + ms + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusException(BusException.Reason.CLOSED, "interrupted while waiting for " + sync.id());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BusException b ? b
                    : new BusException(BusException.Reason.CLOSED, e.getCause().toString());
        } finally {
            waiting.remove(sync.id());
        }
    }

    private List<Mailbox> members(String group) {
        List<Mailbox> members = new ArrayList<>();
        for (Mailbox box : mailboxes.values()) {
            if (box.group().equals(group)) {
                members.add(box);
            }
        }
        return members;
    }

    private Mailbox mailbox(String name) {
        if (closed) {
            throw new BusException(BusException.Reason.CLOSED, "message bus stopped");
        }
        return mailboxes.computeIfAbsent(name, n -> new Mailbox(n, config.mailboxCapacity(), drainers));
    }

}
