package nats.server.internal.account;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import nats.server.internal.routing.GatewayReplies;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Sublist;

/**
 * One account: its own subject space (sublist), the streams it imports from other accounts, the mappings
 * applied to what its clients publish, and the routes back for responses to the services it exports.
 * Clients of different accounts never see each other's messages except through imports.
 */
public final class Account {

    private final String name;
    private final Sublist sublist = new Sublist();
    private volatile List<StreamImport> streamImports = List.of();
    private final List<ServerSubscription> serviceImports = new ArrayList<>();
    private volatile SubjectMappings mappings;
    private final AtomicInteger clients = new AtomicInteger();
    private volatile ServiceResponses responses;
    private final long[] closedTraffic = new long[4];
    private final java.util.concurrent.atomic.LongAdder slowConsumers = new java.util.concurrent.atomic.LongAdder();
    /** The account's JWT and its claims in operator mode; null for configured accounts. */
    private volatile JwtState jwt;

    /** An account's JWT as last applied. */
    public record JwtState(String token, nats.server.internal.auth.AccountClaims claims) {
    }

    public JwtState jwt() {
        return jwt;
    }

    private volatile nats.server.options.AccountConfig.Limits limits = nats.server.options.AccountConfig.Limits.NONE;

    void limits(nats.server.options.AccountConfig.Limits configured) {
        limits = configured;
    }

    /** The account's connection limit (config {@code limits} or JWT); -1 for none. */
    public long maxConnections() {
        JwtState state = jwt;
        long conn = state != null ? state.claims().limits().account().conn() : limits.maxConnections();
        return conn < 0 ? -1 : conn;
    }

    /** Subscriptions per client of this account; -1 for no account limit. */
    public long maxSubscriptions() {
        JwtState state = jwt;
        long subs = state != null ? state.claims().limits().nats().subs() : limits.maxSubscriptions();
        return subs < 0 ? -1 : subs;
    }

    /** Payload limit for this account's clients; -1 for no account limit. */
    public long maxPayload() {
        JwtState state = jwt;
        long payload = state != null ? state.claims().limits().nats().payload() : limits.maxPayload();
        return payload < 0 ? -1 : payload;
    }

    void jwt(JwtState state) {
        jwt = state;
    }

    Account(String name, SubjectMappings mappings) {
        this.name = name;
        this.mappings = mappings;
        this.configuredMappings = mappings;
        announceSources(mappings == null ? List.of() : mappings.sources());
    }

    /** The mappings of the configuration or JWT (replaced on reload); plugins' come after them. */
    private volatile SubjectMappings configuredMappings;
    /** Mappings plugins added (JetStream's domain mappings), kept across reloads of the configured ones. */
    private final List<nats.server.options.AccountConfig.Mapping> pluginMappings =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Adds a mapping for a plugin, as Go's Account.AddMapping, unless one with that source exists: messages
     * published to {@code source} (by clients and leaf nodes) go to {@code destination}, and leaf nodes are told of
     * the source as of an import (Go announces mapping sources on leaf connections).
     *
     * @return false when the source was mapped already
     */
    public synchronized boolean addMapping(String source, String destination) {
        SubjectMappings current = mappings;
        if (current != null && current.hasSource(source)) {
            return false;
        }
        nats.server.options.AccountConfig.Mapping mapping = new nats.server.options.AccountConfig.Mapping(source,
                List.of(new nats.server.options.AccountConfig.Mapping.Destination(destination, 100)));
        SubjectMappings.of(List.of(mapping)); // refuses a destination that does not fit the source
        try {
            sublist.insert(new ServerSubscription(MappingSource.INSTANCE, source, null, new byte[0]));
        } catch (Sublist.InvalidSubjectException e) {
            throw new IllegalArgumentException("invalid mapping source \"" + source + "\"", e);
        }
        pluginMappings.add(mapping);
        mappings = SubjectMappings.concat(configuredMappings, SubjectMappings.of(List.copyOf(pluginMappings)));
        return true;
    }

    public String name() {
        return name;
    }

    private final GatewayReplies gatewayReplies = new GatewayReplies();

    public Sublist sublist() {
        return sublist;
    }

    /**
     * The gateway replies the account's in-process clients were shown bare (Go keeps them on the account, not the
     * client: the answer usually comes from another internal client than the one that received the request).
     */
    public GatewayReplies gatewayReplies() {
        return gatewayReplies;
    }

    /** Subject mappings, or null when the account has none. */
    public SubjectMappings mappings() {
        return mappings;
    }

    public int clientCount() {
        return clients.get();
    }

    /**
     * The other servers' leaf connections in this account, as their account connection events report them (Go's
     * strack and nrleafs), by server id.
     */
    private final java.util.Map<String, Integer> remoteLeafs = new java.util.concurrent.ConcurrentHashMap<>();

    /** Another server reported {@code leafs} leaf connections in this account (0 forgets it). */
    public void remoteLeafs(String serverId, int leafs) {
        if (leafs <= 0) {
            remoteLeafs.remove(serverId);
        } else {
            remoteLeafs.put(serverId, leafs);
        }
    }

    /** A server stopped or went quiet: its counts no longer hold. */
    public void forgetServer(String serverId) {
        remoteLeafs.remove(serverId);
    }

    /** Leaf connections in this account on the cluster's other servers (Go's nrleafs). */
    public int remoteLeafCount() {
        int n = 0;
        for (int leafs : remoteLeafs.values()) {
            n += leafs;
        }
        return n;
    }

    public void clientJoined() {
        clients.incrementAndGet();
    }

    public void clientLeft() {
        clients.decrementAndGet();
    }

    synchronized void reset(SubjectMappings replaced) {
        configuredMappings = replaced;
        mappings = SubjectMappings.concat(replaced, SubjectMappings.of(List.copyOf(pluginMappings)));
        announceSources(replaced == null ? List.of() : replaced.sources());
    }

    /** The stand-ins of the configured mappings' sources in the sublist, by source. */
    private final java.util.Map<String, ServerSubscription> configuredSources =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Go announces every mapping source to leaf nodes: keeps one stand-in per configured source. */
    private void announceSources(List<String> sources) {
        for (java.util.Iterator<java.util.Map.Entry<String, ServerSubscription>> it =
                     configuredSources.entrySet().iterator(); it.hasNext(); ) {
            java.util.Map.Entry<String, ServerSubscription> e = it.next();
            if (!sources.contains(e.getKey())) {
                sublist.remove(e.getValue());
                it.remove();
            }
        }
        for (String source : sources) {
            if (!configuredSources.containsKey(source)) {
                ServerSubscription sub = new ServerSubscription(MappingSource.INSTANCE, source, null, new byte[0]);
                try {
                    sublist.insert(sub);
                    configuredSources.put(source, sub);
                } catch (Sublist.InvalidSubjectException e) {
                    // A source the config reader let through but the sublist refuses maps messages all the same.
                }
            }
        }
    }

    /** Takes the imports away (before a reload wires the new ones). */
    void clearImports() {
        streamImports = List.of();
        for (ServerSubscription sub : serviceImports) {
            sub.markClosed();
            sublist.remove(sub);
        }
        serviceImports.clear();
    }

    void addStreamImport(StreamImport streamImport) {
        List<StreamImport> next = new ArrayList<>(streamImports);
        next.add(streamImport);
        streamImports = List.copyOf(next);
    }

    void addServiceImport(ServerSubscription sub) {
        serviceImports.add(sub);
    }

    public List<StreamImport> streamImports() {
        return streamImports;
    }

    /** What the stream imports are, to tell whether a reload changed them. */
    List<String> streamImportDescriptions() {
        return streamImports.stream().map(i -> i.exporter().name() + ":" + i.from() + ">" + i.to()).toList();
    }

    /** Counts a closed client's traffic: Go's account counters outlive the account's clients. */
    public void addClosedTraffic(long inMsgs, long inBytes, long outMsgs, long outBytes) {
        synchronized (closedTraffic) {
            closedTraffic[0] += inMsgs;
            closedTraffic[1] += inBytes;
            closedTraffic[2] += outMsgs;
            closedTraffic[3] += outBytes;
        }
    }

    /** Counts one of the account's clients closed as a slow consumer (Go's per-account counter). */
    public void countSlowConsumer() {
        slowConsumers.increment();
    }

    /** The account's clients closed as slow consumers since the server started. */
    public long slowConsumers() {
        return slowConsumers.sum();
    }

    /** What the account's closed clients sent and received: in msgs, in bytes, out msgs, out bytes. */
    public long[] closedTraffic() {
        synchronized (closedTraffic) {
            return closedTraffic.clone();
        }
    }

    /**
     * Subscriptions as the Go server counts them; the route that carries this account's service responses back
     * to importers ({@code _R_.<prefix>.>}) counts once the first request made it, as in Go; the stand-ins of
     * mapping sources do not (they are no subscriptions in Go).
     */
    public long subscriptionCount() {
        return sublist.count() - configuredSources.size() - pluginMappings.size();
    }

    /** Whether a sublist entry only stands in for a mapping source (left out of monitoring, as in Go). */
    public static boolean isMappingSource(ServerSubscription sub) {
        return sub.subscriber() == MappingSource.INSTANCE;
    }

    /** The response routes for services this account exports, created with the first service import. */
    ServiceResponses responses() {
        return responses;
    }

    void responses(ServiceResponses r) {
        responses = r;
    }

    /**
     * Makes a client's subscription in this account also receive what the accounts it imports streams from
     * publish on the matching subjects (Go's shadow subscriptions).
     *
     * @return the shadow subscriptions, to be removed with the client's subscription
     */
    public ServerSubscription[] addShadowSubscriptions(ServerSubscription sub) {
        List<StreamImport> imports = streamImports;
        if (imports.isEmpty()) {
            return null;
        }
        List<ServerSubscription> shadows = null;
        for (StreamImport im : imports) {
            ServerSubscription shadow = im.shadowFor(sub);
            if (shadow == null) {
                continue;
            }
            try {
                im.exporter().sublist().insert(shadow);
            } catch (Sublist.InvalidSubjectException e) {
                continue;
            }
            if (shadows == null) {
                shadows = new ArrayList<>(2);
            }
            shadows.add(shadow);
        }
        return shadows == null ? null : shadows.toArray(ServerSubscription[]::new);
    }

    /** Removes shadow subscriptions made by {@link #addShadowSubscriptions}. */
    public static void removeShadowSubscriptions(ServerSubscription[] shadows) {
        if (shadows == null) {
            return;
        }
        for (ServerSubscription shadow : shadows) {
            shadow.markClosed();
            ((StreamImport.Delivery) shadow.subscriber()).exporter().sublist().remove(shadow);
        }
    }

    @Override
    public String toString() {
        return "Account[" + name + "]";
    }
}
