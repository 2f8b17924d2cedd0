package nats.server.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import nats.api.ServerIdentity;
import nats.server.internal.account.Account;
import nats.server.internal.account.Accounts;
import nats.server.internal.account.InternalPublisher;
import nats.server.internal.auth.AccountClaims;
import nats.server.internal.auth.Jwt;
import nats.server.internal.auth.JwtException;
import nats.transport.json.JsonWriter;
import nats.server.internal.routing.RoutedMessage;
import nats.server.internal.routing.ServerSubscription;
import nats.server.internal.routing.Sublist;
import nats.server.internal.routing.Subscriber;

/**
 * Account JWT pushes on the system account ({@code nsc push}): {@code $SYS.REQ.ACCOUNT.<key>.CLAIMS.UPDATE},
 * the older {@code $SYS.ACCOUNT.<key>.CLAIMS.UPDATE}, and {@code $SYS.REQ.CLAIMS.UPDATE}; plus
 * {@code $SYS.REQ.ACCOUNT.<key>.CLAIMS.LOOKUP}. Answers in the Go server's JSON, e.g.
 * {@code {"server":{...},"data":{"account":"A...","code":200,"message":"jwt updated"}}}.
 */
final class ClaimsUpdates implements Subscriber {

    private static final System.Logger LOG = System.getLogger(ClaimsUpdates.class.getName());
    private static final String LIST = "$SYS.REQ.CLAIMS.LIST";
    private static final String DELETE = "$SYS.REQ.CLAIMS.DELETE";

    private final Accounts accounts;
    private final Account system;
    private final ServerIdentity identity;
    private final String host;
    /** The server's sequence of system messages, shared with its events. */
    private final LongSupplier sequence;
    /** Closes the clients of a deleted account. */
    private final Consumer<Account> onDeleted;
    /** Applies an update's consequences to connected clients (new shadows, revoked users). */
    private final Consumer<Set<Account>> onChanged;

    private ClaimsUpdates(Accounts accounts, Account system, ServerIdentity identity, String host,
                          LongSupplier sequence, Consumer<Set<Account>> onChanged, Consumer<Account> onDeleted) {
        this.accounts = accounts;
        this.onDeleted = onDeleted;
        this.host = host;
        this.sequence = sequence;
        this.system = system;
        this.identity = identity;
        this.onChanged = onChanged;
    }

    static void subscribe(Accounts accounts, ServerIdentity identity, String host, LongSupplier sequence,
                          Consumer<Set<Account>> onChanged, Consumer<Account> onDeleted) {
        Account system = accounts.system();
        if (system == null) {
            return;
        }
        ClaimsUpdates handler = new ClaimsUpdates(accounts, system, identity, host, sequence, onChanged, onDeleted);
        java.util.List<String> subjects = new java.util.ArrayList<>(java.util.List.of(
                "$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE", "$SYS.ACCOUNT.*.CLAIMS.UPDATE", "$SYS.REQ.CLAIMS.UPDATE",
                "$SYS.REQ.ACCOUNT.*.CLAIMS.LOOKUP"));
        if (accounts.resolver().keepsUnloaded()) {
            // Go's directory resolvers also list and delete what they keep.
            subjects.addAll(java.util.List.of(LIST, DELETE));
        }
        for (String subject : subjects) {
            try {
                system.sublist().insert(new ServerSubscription(handler, subject, null, new byte[0]));
            } catch (Sublist.InvalidSubjectException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public boolean deliver(ServerSubscription subscription, RoutedMessage m) {
        String subject = m.subjectString();
        String reply = m.replyString();
        int bodyStart = m.dataOffset + Math.max(0, m.headerSize);
        String body = new String(m.data, bodyStart, m.dataOffset + m.dataLength - bodyStart, StandardCharsets.UTF_8).strip();
        // Applying an update may close clients and rewire accounts: not on the publisher's reader thread.
        Thread.ofVirtual().name("nats-claims-update").start(() -> handle(subject, reply, body));
        return true;
    }

    @Override
    public void flushPending() {
        // Answers are published (and flushed) by the handler.
    }

    private void handle(String subject, String reply, String body) {
        if (subject.equals(LIST)) {
            list(reply);
            return;
        }
        if (subject.equals(DELETE)) {
            delete(reply, body);
            return;
        }
        String[] tokens = subject.split("\\.");
        if (subject.endsWith(".CLAIMS.LOOKUP")) {
            String key = tokens[3];
            accounts.resolver().fetch(key).ifPresent(jwt -> respondRaw(reply, jwt));
            return;
        }
        String key = tokens.length == 6 ? tokens[3] : tokens.length == 5 ? tokens[2] : null;
        if (body.isEmpty()) {
            respond(reply, key == null ? "n/a" : key, "jwt update error", "request body is empty");
            return;
        }
        AccountClaims claims;
        try {
            claims = Jwt.decode(body, AccountClaims.class);
        } catch (JwtException e) {
            respond(reply, "n/a", "jwt update resulted in error", e.getMessage());
            return;
        }
        String subjectKey = claims.data().subject();
        if (key != null && !subjectKey.equals(key)) {
            respond(reply, key, "jwt update resulted in error", "subject does not match jwt content");
            return;
        }
        boolean loaded = accounts.get(subjectKey) != null;
        if (accounts.resolver().keepsUnloaded()) {
            // As Go's directory resolver: a JWT that is valid in time is stored and acknowledged; whether its
            // issuer is trusted is checked when the account is used.
            if (claims.data().isExpired(Instant.now())) {
                respond(reply, subjectKey, "jwt validation failed", "claim is expired");
                return;
            }
            try {
                accounts.resolver().store(subjectKey, body);
            } catch (IOException e) {
                respond(reply, subjectKey, "jwt update resulted in error", e.getMessage());
                return;
            }
            respond(reply, subjectKey, "jwt updated", null);
            if (loaded) {
                apply(subjectKey, body);
            }
            return;
        }
        if (!loaded) {
            respond(reply, subjectKey, "jwt update skipped", null);
            return;
        }
        String error = apply(subjectKey, body);
        if (error != null) {
            respond(reply, subjectKey, "jwt update resulted in error", error);
            return;
        }
        try {
            accounts.resolver().store(subjectKey, body);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not keep the updated JWT of " + subjectKey + ": " + e.getMessage());
        }
        respond(reply, subjectKey, "jwt updated", null);
    }

    /** Go's handleListRequest: every account key the resolver keeps, in one answer. */
    private void list(String reply) {
        if (reply.isEmpty()) {
            return;
        }
        java.util.List<String> keys;
        try {
            keys = accounts.resolver().list();
        } catch (IOException e) {
            // As Go: the requester times out.
            LOG.log(System.Logger.Level.ERROR, "list request error: " + e.getMessage());
            return;
        }
        JsonWriter json = new JsonWriter().beginObject();
        writeServer(json);
        json.name("data").value(keys);
        InternalPublisher.publish(system, reply, "", json.endObject().toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Go's handleDeleteRequest: a generic JWT the operator (or its signing key) issued about itself, naming
     * the accounts to delete in {@code nats.accounts}; honoured only with {@code allow_delete}. Clients of a
     * deleted account are closed as if its JWT had expired.
     */
    private void delete(String reply, String body) {
        String issuer = "";
        String error = null;
        java.util.List<String> keys = new java.util.ArrayList<>();
        try {
            nats.server.internal.auth.GenericClaims claims = Jwt.decodeGeneric(body);
            issuer = claims.data().subject();
            Object listed = claims.nats() == null ? null : claims.nats().get("accounts");
            if (!accounts.resolver().deletes()) {
                error = "delete must be enabled in server config";
            } else if (!claims.data().subject().equals(claims.data().issuer())) {
                error = "not self signed";
            } else if (!accounts.trust().isTrusted(claims.data().issuer())) {
                error = "not trusted";
            } else if (!(listed instanceof java.util.List<?> list)) {
                error = "malformed request";
            } else {
                for (Object entry : list) {
                    if (!(entry instanceof String key) || !nats.server.internal.auth.NKey.isValidPublicKey(key,
                            nats.server.internal.auth.NKey.Type.ACCOUNT)) {
                        error = "malformed request";
                        break;
                    }
                    if (key.equals(system.name())) {
                        error = "not allowed to delete system account";
                        break;
                    }
                    keys.add(key);
                }
            }
        } catch (JwtException e) {
            error = e.getMessage();
        }
        if (error != null) {
            respond(reply, null, "delete accounts request by " + issuer + " failed", error);
            return;
        }
        java.util.List<String> failures = new java.util.ArrayList<>();
        for (String key : keys) {
            try {
                accounts.resolver().delete(key);
                Account loaded = accounts.forget(key);
                if (loaded != null) {
                    onDeleted.accept(loaded);
                }
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        int deleted = keys.size() - failures.size();
        if (failures.isEmpty()) {
            respond(reply, null, "deleted " + deleted + " accounts", null);
        } else {
            respond(reply, null, "deleted " + deleted + " accounts, failed for " + failures.size(),
                    String.join("\n", failures));
        }
    }

    /** Applies the JWT to the loaded account; returns the reason when it is refused. */
    private String apply(String accountKey, String jwt) {
        try {
            onChanged.accept(accounts.update(accountKey, jwt));
            return null;
        } catch (JwtException e) {
            LOG.log(System.Logger.Level.ERROR, "update resulted in error " + e.getMessage());
            return e.getMessage();
        }
    }

    private void respond(String reply, String account, String message, String error) {
        if (error == null) {
            LOG.log(System.Logger.Level.DEBUG, message + " - " + account);
        } else {
            LOG.log(System.Logger.Level.ERROR, message + " - " + account + " - " + error);
        }
        if (reply.isEmpty()) {
            return;
        }
        JsonWriter json = new JsonWriter().beginObject();
        writeServer(json);
        json.name(error == null ? "data" : "error").beginObject();
        if (account != null) {
            json.field("account", account);
        }
        if (error == null) {
            json.field("code", 200).field("message", message);
        } else {
            json.field("code", 500).field("description", message + " - " + error);
        }
        json.endObject().endObject();
        InternalPublisher.publish(system, reply, "", json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Go's ServerInfo, stamped as its send loop stamps it. */
    private void writeServer(JsonWriter json) {
        json.name("server").beginObject()
                .field("name", identity.serverName())
                .field("host", host)
                .field("id", identity.serverId())
                .field("ver", identity.serverVersion())
                .field("seq", sequence.getAsLong())
                .field("jetstream", false)
                .field("time", nats.transport.json.GoTime.format(Instant.now()))
                .endObject();
    }

    private void respondRaw(String reply, String payload) {
        if (!reply.isEmpty()) {
            InternalPublisher.publish(system, reply, "", payload.getBytes(StandardCharsets.UTF_8));
        }
    }
}
