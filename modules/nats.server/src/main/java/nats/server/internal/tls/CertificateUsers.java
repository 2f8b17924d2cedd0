package nats.server.internal.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

import nats.server.options.User;
import nats.transport.tls.SubjectAlternativeNames;

/**
 * {@code verify_and_map}: the user a client certificate names, looked up as Go's checkClientTLSCertSubject
 * does (auth.go): first the e-mail addresses, DNS names and URIs of the subject alternative names as user
 * names, then the subject as a distinguished name (equal, or the same RDNs in another order), then the subject
 * in RFC 2253 text. Not covered: Go's extra form that appends domain components to the subject text.
 */
public final class CertificateUsers {

    private final Map<String, User> byName = new HashMap<>();
    /** Users whose name parses as a distinguished name, with its RDNs in canonical form. */
    private final Map<User, List<String>> byDistinguishedName = new HashMap<>();

    public CertificateUsers(List<User> users) {
        for (User user : users) {
            byName.put(user.name(), user);
            distinguishedName(user.name()).ifPresent(rdns -> byDistinguishedName.put(user, rdns));
        }
    }

    /** The user the client's certificate maps to; empty when it has none or no user matches. */
    public Optional<User> userFor(SSLSession session) {
        X509Certificate cert;
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (!(chain[0] instanceof X509Certificate x509)) {
                return Optional.empty();
            }
            cert = x509;
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
        for (int type : SubjectAlternativeNames.GO_ORDER) {
            for (String name : SubjectAlternativeNames.of(cert, type)) {
                User user = byName.get(name);
                if (user != null) {
                    return Optional.of(user);
                }
            }
        }
        Optional<List<String>> subject = distinguishedName(cert.getSubjectX500Principal().getName());
        if (subject.isPresent()) {
            List<String> sorted = sorted(subject.get());
            for (Map.Entry<User, List<String>> e : byDistinguishedName.entrySet()) {
                if (e.getValue().equals(subject.get()) || sorted(e.getValue()).equals(sorted)) {
                    return Optional.of(e.getKey());
                }
            }
        }
        return Optional.ofNullable(byName.get(cert.getSubjectX500Principal().getName(X500Principal.RFC2253)));
    }

    /** The RDNs of a distinguished name in canonical form (case and spacing normalised), most specific first. */
    static Optional<List<String>> distinguishedName(String text) {
        if (!text.contains("=")) {
            return Optional.empty();
        }
        try {
            return Optional.of(splitRdns(new X500Principal(text).getName(X500Principal.CANONICAL)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Splits canonical RFC 2253 text at the commas that separate RDNs (not the escaped ones). */
    private static List<String> splitRdns(String canonical) {
        List<String> rdns = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if (c == '\\' && i + 1 < canonical.length()) {
                current.append(c).append(canonical.charAt(++i));
            } else if (c == ',') {
                rdns.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        rdns.add(current.toString());
        return List.copyOf(rdns);
    }

    private static List<String> sorted(List<String> rdns) {
        return rdns.stream().sorted().toList();
    }
}
