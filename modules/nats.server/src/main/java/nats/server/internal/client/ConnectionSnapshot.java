package nats.server.internal.client;

import java.time.Instant;
import java.util.List;

import nats.server.internal.routing.ServerSubscription;

/**
 * One connection as /connz shows it, read at one moment: its identity and counters, and for a closed
 * connection (Go's closedClient) when and why it closed. Plain values only, so a closed connection itself
 * (its buffers and threads) can be collected while its snapshot is kept.
 *
 * @param idleNanos  time since the last activity, at the snapshot (at the close for closed connections)
 * @param stop       when it closed; null while open
 * @param reason     why it closed; empty while open
 * @param user       the user as CONNECT named it (Go's raw auth user)
 * @param account    the account name, empty for the global account (as Go keeps it)
 * @param type       Go's client type: nats, websocket, mqtt
 * @param extraFields fields a plugin adds to the client's entry (e.g. mqtt_client)
 */
public record ConnectionSnapshot(long cid, String ip, int port, Instant start, Instant lastActivity,
                                 long idleNanos, Instant stop, String reason, long rttNanos, long pendingBytes,
                                 long inMsgs, long outMsgs, long inBytes, long outBytes, String name, String lang,
                                 String version, String tlsProtocol, String tlsCipherSuite, String user,
                                 String authenticatedUser, String account, String jwt, String issuerKey,
                                 List<Subscription> subscriptions, List<PeerCertificate> peerCertificates,
                                 String type, java.util.Map<String, String> extraFields) {

    /**
     * Go's TLSPeerCert: a certificate the client presented, by subject and SHA-256 (hex) of its public key
     * info and of the whole certificate.
     */
    public record PeerCertificate(String subject, String spkiSha256, String certSha256) {
    }

    /** Go's SubDetail of one of the connection's subscriptions. */
    public record Subscription(String subject, String queue, String sid, long msgs, long max) {
    }

    public ConnectionSnapshot {
        subscriptions = List.copyOf(subscriptions);
        peerCertificates = List.copyOf(peerCertificates);
        extraFields = java.util.Map.copyOf(extraFields);
    }

    /** {@code c} as it is at {@code now}; {@code closing} records the close time and reason too. */
    public static ConnectionSnapshot of(Client c, String globalAccount, Instant now, boolean closing) {
        long idle = c.idleNanos();
        Instant last = now.minusNanos(idle);
        if (last.isBefore(c.startTime())) {
            last = c.startTime();
        }
        String account = c.account().name();
        var session = c.tlsSession();
        List<Subscription> subs = c.subscriptionList().stream()
                .map(ConnectionSnapshot::subscription).toList();
        return new ConnectionSnapshot(c.id(), c.remoteIp(), c.remotePort(), c.startTime(),
                last, idle, closing ? now : null, closing ? c.closeReason() : "", c.rttNanos(), c.pendingBytes(),
                c.inMsgs(), c.outMsgs(), c.inBytes(), c.outBytes(), nullToEmpty(c.name()), nullToEmpty(c.lang()),
                nullToEmpty(c.version()), session.map(javax.net.ssl.SSLSession::getProtocol).orElse(""),
                session.map(javax.net.ssl.SSLSession::getCipherSuite).orElse(""), c.rawAuthUser(),
                c.authenticatedUser(), account.equals(globalAccount) ? "" : account, c.connectJwt(), c.issuerKey(),
                subs, session.map(ConnectionSnapshot::peerCertificates).orElse(List.of()), c.type(),
                c.monitoringFields());
    }

    private static List<PeerCertificate> peerCertificates(javax.net.ssl.SSLSession session) {
        try {
            java.util.HexFormat hex = java.util.HexFormat.of();
            java.util.List<PeerCertificate> out = new java.util.ArrayList<>();
            for (java.security.cert.Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof java.security.cert.X509Certificate x509) {
                    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                    String spki = hex.formatHex(sha.digest(x509.getPublicKey().getEncoded()));
                    String cert = hex.formatHex(sha.digest(x509.getEncoded()));
                    out.add(new PeerCertificate(x509.getSubjectX500Principal().getName(), spki, cert));
                }
            }
            return out;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return List.of(); // the client presented no certificate
        } catch (java.security.GeneralSecurityException e) {
            return List.of();
        }
    }

    private static Subscription subscription(ServerSubscription s) {
        return new Subscription(s.subject(), s.queue(), s.sidString(), s.delivered(), s.max());
    }

    public boolean isClosed() {
        return stop != null;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
