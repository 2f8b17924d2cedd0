package nats.transport.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The subject alternative names of a certificate by type, as Go's {@code verify_and_map} reads them (e-mail
 * addresses, DNS names, URIs) for client users and for gateway authorization alike.
 */
public final class SubjectAlternativeNames {

    /** rfc822Name (RFC 5280 GeneralName tag 1). */
    public static final int EMAIL = 1;
    /** dNSName (tag 2). */
    public static final int DNS = 2;
    /** uniformResourceIdentifier (tag 6). */
    public static final int URI = 6;
    /** The types in the order Go tries them. */
    public static final List<Integer> GO_ORDER = List.of(EMAIL, DNS, URI);

    private SubjectAlternativeNames() {
    }

    /**
     * The names of one type, in certificate order; none when the extension is absent or cannot be read (such a
     * certificate is mapped by its subject only).
     */
    public static List<String> of(X509Certificate cert, int type) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> all = cert.getSubjectAlternativeNames();
            if (all != null) {
                for (List<?> entry : all) {
                    if (entry.size() >= 2 && entry.get(0) instanceof Integer t && t == type
                            && entry.get(1) instanceof String value) {
                        names.add(value);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return names;
    }
}
