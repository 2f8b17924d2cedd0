package nats.server.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A client CA made for one test, and client certificates it signs with any validity window (already expired,
 * not yet valid, valid for a few seconds), built with BouncyCastle's ASN.1 classes and signed with the JDK.
 */
final class ShortLivedCertificates {

    private static final AlgorithmIdentifier ECDSA_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    private static final X500Name CA_NAME = new X500Name("CN=Short-lived Test Client CA, O=jnatsd tests");

    private final KeyPair caKeys = ecKeys();
    private final X509Certificate ca;

    ShortLivedCertificates() throws Exception {
        Instant now = Instant.now();
        ca = certificate(CA_NAME, caKeys, now.minusSeconds(3600), now.plusSeconds(3600), true);
    }

    /** The CA as a PEM file, for the server's ca_file. */
    Path writeCa(Path dir) throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(dir.resolve("short-lived-ca.pem"), pem, StandardCharsets.US_ASCII);
    }

    /**
     * A client context trusting the test server's CA (tls/ca.pem) and presenting a client certificate from this
     * CA valid from {@code notBefore} to {@code notAfter}.
     */
    SSLContext clientContext(Instant notBefore, Instant notAfter) throws Exception {
        KeyPair keys = ecKeys();
        X509Certificate cert = certificate(new X500Name("CN=short-lived client, O=jnatsd tests"), keys, notBefore,
                notAfter, false);
        char[] password = "test".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", keys.getPrivate(), password, new Certificate[] {cert, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", TlsFixtures.certificate("ca.pem"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private X509Certificate certificate(X500Name subject, KeyPair keys, Instant notBefore, Instant notAfter,
                                        boolean isCa) throws Exception {
        V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
        tbs.setSerialNumber(new ASN1Integer(new BigInteger(64, new SecureRandom())));
        tbs.setIssuer(CA_NAME);
        tbs.setSubject(subject);
        tbs.setStartDate(new Time(Date.from(notBefore)));
        tbs.setEndDate(new Time(Date.from(notAfter)));
        tbs.setSignature(ECDSA_SHA256);
        tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        tbs.setExtensions(extensions.generate());
        TBSCertificate body = tbs.generateTBSCertificate();
        PrivateKey signer = isCa ? keys.getPrivate() : caKeys.getPrivate();
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(signer);
        signature.update(body.getEncoded());
        ASN1EncodableVector certificate = new ASN1EncodableVector();
        certificate.add(body);
        certificate.add(ECDSA_SHA256);
        certificate.add(new DERBitString(signature.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(new DERSequence(certificate).getEncoded()));
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is in every JDK", e);
        }
    }
}
