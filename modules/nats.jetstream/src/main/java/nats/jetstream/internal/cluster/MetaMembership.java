package nats.jetstream.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import nats.api.messaging.InternalConnection;
import nats.api.messaging.Message;
import nats.raft.Member;
import nats.raft.RaftNode;
import nats.raft.RaftState;
import nats.transport.json.GoJson;
import nats.transport.json.Json;

/**
 * Who is in the meta group. At the first start a server waits until its set of JetStream peers has not changed for
 * {@link #SETTLE}, then asks {@link #MEMBERS_SUBJECT} whether a meta group runs already: the meta leader answers
 * with its members and the server joins (the leader then adds it); without an answer within {@link #JOIN_WAIT} it
 * creates the group with every peer seen as a voter. The members are kept in {@code peers.json} so a restart
 * rejoins at once. Runs on the cluster's timer thread.
 */
final class MetaMembership {

    /** How long the JetStream peer set must stay unchanged before the meta group is first created. */
    static final Duration SETTLE = Duration.ofSeconds(2);
    /** How long a server about to create the meta group waits for a running group's leader to answer first. */
    static final Duration JOIN_WAIT = Duration.ofSeconds(1);
    /** Asked on the system account by a server that would create the meta group: the leader answers its members. */
    static final String MEMBERS_SUBJECT = "$JSC.META.MEMBERS";

    private final JsPeers peers;
    private final InternalConnection system;
    private final String selfId;
    private final boolean named;
    private final Path peersFile;
    private final System.Logger log;
    private final String inbox;
    private volatile long peersChangedAt = System.nanoTime();
    private long joinAskedAt;
    private volatile List<String> joinAnswer;
    private boolean warnedNoName;
    private CompletableFuture<Long> memberChange;

    /**
     * @param named whether this server has a {@code server_name} (Go requires one in a JetStream cluster)
     */
    MetaMembership(JsPeers peers, InternalConnection system, String selfId, boolean named, Path peersFile,
                   String runId, System.Logger log) {
        this.peers = peers;
        this.system = system;
        this.selfId = selfId;
        this.named = named;
        this.peersFile = peersFile;
        this.log = log;
        this.inbox = "$JSC.META.JOIN." + selfId + "." + runId;
    }

    /** The route gossip saw the JetStream peers change. */
    void peersChanged() {
        peersChangedAt = System.nanoTime();
    }

    /** The members to start the meta group with, once known (call on each tick until it answers). */
    Optional<List<String>> initialMembers() {
        if (Files.exists(peersFile)) {
            log.log(System.Logger.Level.INFO, "JetStream cluster recovering state");
            return Optional.of(readPeers());
        }
        List<String> online = new ArrayList<>(peers.onlineNodeIds());
        long now = System.nanoTime();
        if (online.isEmpty() || now - peersChangedAt < SETTLE.toNanos()) {
            return Optional.empty();
        }
        if (!named) {
            // Refused at start-up when a cluster block with a port is configured (StartChecks); kept for safety.
            if (!warnedNoName) {
                warnedNoName = true;
                log.log(System.Logger.Level.ERROR, "jetstream cluster requires `server_name` to be set");
            }
            return Optional.empty();
        }
        if (joinAskedAt == 0) {
            askForMembers();
            joinAskedAt = now;
            return Optional.empty();
        }
        List<String> members;
        List<String> running = joinAnswer;
        if (running != null) {
            members = running;
            log.log(System.Logger.Level.INFO, "JetStream cluster joining the metadata group of {0}", running);
        } else if (now - joinAskedAt < JOIN_WAIT.toNanos()) {
            return Optional.empty();
        } else {
            online.add(selfId);
            members = online.stream().sorted().distinct().toList();
            log.log(System.Logger.Level.INFO, "JetStream cluster bootstrapping");
        }
        writePeers(members);
        return Optional.of(members);
    }

    private void askForMembers() {
        system.subscribe(inbox, m -> {
            try {
                joinAnswer = ((List<?>) Json.parse(new String(m.payload(), StandardCharsets.UTF_8))).stream()
                        .map(Object::toString).filter(id -> !id.equals(selfId)).toList();
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "JetStream cluster: bad meta members answer: {0}", e.toString());
            }
        });
        system.publish(new Message(MEMBERS_SUBJECT, inbox, Message.NO_HEADERS, new byte[0]));
    }

    /** The meta leader tells a server about to create the meta group that it runs already, and its members. */
    void answerMembers(RaftNode meta, Message m) {
        if (meta != null && meta.state() == RaftState.LEADER && m.hasReplyTo()) {
            List<String> ids = meta.members().stream().map(Member::id).toList();
            system.publish(new Message(m.replyTo(), "", Message.NO_HEADERS,
                    GoJson.compact(ids).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Servers removed from the meta group ({@code SERVER.REMOVE}): not added back while online. */
    private final java.util.Set<String> removed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A server was removed: the meta leader takes it out of the group (retried by the caller's tick until done). */
    void removed(String id) {
        removed.add(id);
    }

    static final String REMOVED_PREFIX = "$JSC.META.REMOVED.";

    /**
     * Tells a removed server that it was removed (it disables its JetStream): it may never learn that the entry
     * removing it committed, as the leader stops replicating to it right after.
     */
    void tellRemoved(String id) {
        system.publish(new Message(REMOVED_PREFIX + id, "", Message.NO_HEADERS, new byte[0]));
    }

    /** The servers removed so far (the meta snapshot keeps them: the log that removed them is compacted away). */
    List<String> removedServers() {
        return removed.stream().sorted().toList();
    }

    /** A meta snapshot's removed servers replace those known. */
    void replaceRemoved(java.util.Collection<String> ids) {
        removed.retainAll(ids);
        removed.addAll(ids);
    }

    /** On the meta leader: removes the removed servers still members, one change at a time. */
    void removeRemovedPeers(RaftNode meta) {
        if (meta.state() != RaftState.LEADER || (memberChange != null && !memberChange.isDone())) {
            return;
        }
        for (Member m : meta.members()) {
            if (removed.contains(m.id())) {
                log.log(System.Logger.Level.INFO, "JetStream cluster removing peer {0} ({1})", peers.name(m.id()), m.id());
                tellRemoved(m.id());
                memberChange = meta.removeMember(m.id());
                return;
            }
        }
    }

    /** The meta leader adds JetStream peers that are online but not members (servers that started late). */
    void addNewPeers(RaftNode meta) {
        if (meta.state() != RaftState.LEADER || (memberChange != null && !memberChange.isDone())) {
            return;
        }
        List<String> ids = meta.members().stream().map(Member::id).toList();
        for (String id : peers.onlineNodeIds()) {
            if (!ids.contains(id) && !removed.contains(id)) {
                log.log(System.Logger.Level.INFO, "JetStream cluster adding peer {0} ({1})", peers.name(id), id);
                memberChange = meta.addMember(Member.voter(id));
                return;
            }
        }
    }

    private List<String> readPeers() {
        try {
            return ((List<?>) Json.parse(Files.readString(peersFile))).stream().map(Object::toString).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void writePeers(List<String> members) {
        try {
            Files.createDirectories(peersFile.getParent());
            Files.writeString(peersFile, GoJson.compact(members));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
