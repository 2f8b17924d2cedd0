package nats.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Go's dnsAltNameMatches (auth.go, RFC 6125 section 6.4) for verify_cert_and_check_known_urls. */
class CertificateNamesTest {

    @Test
    void dnsNamesMatchHostsAsGoMatchesThem() {
        assertTrue(CertificateNames.dnsNameMatches("gw1.example.com", "gw1.example.com"), "the same name");
        assertTrue(CertificateNames.dnsNameMatches("GW1.Example.com", "gw1.example.COM"), "labels without case");
        assertTrue(CertificateNames.dnsNameMatches("*.example.com", "gw2.example.com"), "a left-most wildcard");
        assertFalse(CertificateNames.dnsNameMatches("*.example.com", "a.b.example.com"), "one label only");
        assertFalse(CertificateNames.dnsNameMatches("*.example.com", "example.com"), "not zero labels");
        assertFalse(CertificateNames.dnsNameMatches("gw*.example.com", "gw1.example.com"), "no partial wildcard");
        assertFalse(CertificateNames.dnsNameMatches("gw1.*.com", "gw1.example.com"), "only the left-most label");
        assertFalse(CertificateNames.dnsNameMatches("localhost", "127.0.0.1"), "no address for a name");
        assertFalse(CertificateNames.dnsNameMatches("gw1.example.com", "gw2.example.com"), "another host");
    }
}
