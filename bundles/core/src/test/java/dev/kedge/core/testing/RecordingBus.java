package dev.kedge.core.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

import dev.kedge.core.BusException;
import dev.kedge.core.Inbox;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleInfo;
import dev.kedge.core.internal.TestBuses;

/**
 * A MessageBus for unit tests: records every call in order (thread-safe), answers {@code sendSync} through a
 * test-supplied function, reports a configurable number of modules per group, and lets a test wait for a call.
 * A module that opens an {@link Inbox} gets a real mailbox of core's bus: a {@code send} to it is recorded and queued
 * there (the mailbox's bound and send timeout, {@link #inboxSendTimeout}, apply), so it survives the module's
 * restart as in Karaf.
 * Shared through core's test-jar; subclass it where a module needs more (a full mailbox, its own answers).
 */
public class RecordingBus implements MessageBus {
    public static final String SEND = "send";
    public static final String GROUP = "group";
    public static final String SYNC = "sync";
    public static final String GROUP_SYNC = "groupSync";
    public static final String RESPOND = "respond";

    /** One call: {@code kind} as the constants above; {@code target} the module, the group, or (respond) the parent id. */
    public record Call(String kind, String target, Message message, long nanos) {
        public boolean is(String k) {
            return kind.equals(k);
        }

        /** A message that went to a mailbox: send or sendToGroup. */
        public boolean sent() {
            return is(SEND) || is(GROUP);
        }
    }

    /** Answers a sync request: its number among the sync requests so far (from 1), the request; null = no answer. */
    public interface SyncAnswer {
        Message answer(int number, Message request);
    }

    private final List<Call> calls = new ArrayList<>(); // guarded by this, notifyAll on every change
    private int syncRequests; // guarded by this
    private volatile SyncAnswer syncAnswer = (n, m) -> {
        throw new BusException(BusException.Reason.UNROUTABLE, "sendSync is not answered by this fake");
    };
    private volatile ToIntFunction<String> groupMembers = g -> 1;
    private volatile boolean respondResult = true;
    private volatile Duration inboxSendTimeout = Duration.ofSeconds(10);
    private volatile MessageBus mailboxes; // core's real bus, made when a first inbox opens
    private final Set<String> inboxModules = ConcurrentHashMap.newKeySet();

    /** How sync requests are answered (the request carries sync=true); a null answer fails as a timeout. */
    public RecordingBus answerSync(SyncAnswer answer) {
        this.syncAnswer = answer;
        return this;
    }

    public RecordingBus answerSync(Function<Message, Message> answer) {
        return answerSync((n, m) -> answer.apply(m));
    }

    /** What sendToGroup returns per group; the default is one module in every group. */
    public RecordingBus groupMembers(ToIntFunction<String> members) {
        this.groupMembers = members;
        return this;
    }

    /** One module in each of {@code populated}, none elsewhere. */
    public RecordingBus populatedGroups(Set<String> populated) {
        return groupMembers(g -> populated.contains(g) ? 1 : 0);
    }

    /** What respond returns (true: somebody was waiting). */
    public RecordingBus respondResult(boolean result) {
        this.respondResult = result;
        return this;
    }

    /** How long a send waits on a full inbox mailbox before it fails (set before the first inbox opens). */
    public RecordingBus inboxSendTimeout(Duration timeout) {
        this.inboxSendTimeout = timeout;
        return this;
    }

    @Override
    public void send(String module, Message message) {
        record(SEND, module, message);
        if (inboxModules.contains(module)) {
            mailboxes().send(module, message);
        }
    }

    @Override
    public Inbox openInbox(String module, String group, int capacity, Predicate<Message> admit) {
        Inbox inbox = mailboxes().openInbox(module, group, capacity, admit);
        inboxModules.add(module);
        return inbox;
    }

    private synchronized MessageBus mailboxes() {
        if (mailboxes == null) {
            mailboxes = TestBuses.real(inboxSendTimeout);
        }
        return mailboxes;
    }

    @Override
    public int sendToGroup(String group, Message message) {
        record(GROUP, group, message);
        return groupMembers.applyAsInt(group);
    }

    @Override
    public Message sendSync(String module, Message message, Duration timeout) {
        return sync(SYNC, module, message, timeout);
    }

    @Override
    public Message sendToGroupSync(String group, Message message, Duration timeout) {
        return sync(GROUP_SYNC, group, message, timeout);
    }

    @Override
    public boolean respond(Message response) {
        record(RESPOND, response.parentId(), response);
        return respondResult;
    }

    @Override
    public List<ModuleInfo> modules() {
        return List.of();
    }

    private Message sync(String kind, String target, Message message, Duration timeout) {
        Message request = message.withSync(true);
        int number;
        synchronized (this) {
            record(kind, target, request);
            number = ++syncRequests;
        }
        Message answer = syncAnswer.answer(number, request);
        if (answer == null) {
            throw new BusException(BusException.Reason.TIMEOUT, "no response within " + timeout.toMillis() + " ms");
        }
        return answer;
    }

    protected final synchronized void record(String kind, String target, Message message) {
        calls.add(new Call(kind, target, message, System.nanoTime()));
        notifyAll();
    }

    /** Every call so far, in order (a copy). */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String kind) {
        return calls(kind, m -> true);
    }

    public synchronized List<Call> calls(String kind, Predicate<Message> filter) {
        return calls.stream().filter(c -> c.is(kind) && filter.test(c.message())).toList();
    }

    /** The messages of the calls of {@code kind}, in order. */
    public List<Message> messages(String kind) {
        return calls(kind).stream().map(Call::message).toList();
    }

    /** The send and sendToGroup calls, in order. */
    public synchronized List<Call> sent() {
        return calls.stream().filter(Call::sent).toList();
    }

    /** The messages sent (send or sendToGroup) to {@code target}, in order. */
    public List<Message> sentTo(String target) {
        return sent().stream().filter(c -> c.target().equals(target)).map(Call::message).toList();
    }

    /** The position of {@code m} (by identity) among {@link #sent()}; -1 when it was not sent. */
    public int indexOf(Message m) {
        List<Call> sent = sent();
        for (int i = 0; i < sent.size(); i++) {
            if (sent.get(i).message() == m) {
                return i;
            }
        }
        return -1;
    }

    public synchronized void clear() {
        calls.clear();
    }

    /** The first call (earliest) matching, waiting up to {@code timeout}; fails when none comes. */
    public synchronized Call awaitCall(Predicate<Call> match, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Call c : calls) {
                if (match.test(c)) {
                    return c;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no call " + what + " within " + timeout + "; calls: " + describe());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The first message sent (send or sendToGroup) matching, waiting up to {@code timeout}; fails when none comes. */
    public Message await(Predicate<Message> match, Duration timeout, String what) throws InterruptedException {
        return awaitCall(c -> c.sent() && match.test(c.message()), timeout, what).message();
    }

    /** One line per call: kind, target, operation, resource. */
    public synchronized String describe() {
        StringBuilder b = new StringBuilder();
        for (Call c : calls) {
            b.append("\n  ").append(c.kind()).append(" -> ").append(c.target()).append(' ')
                    .append(c.message().operation()).append(' ').append(c.message().resource());
        }
        return b.toString();
    }
}
