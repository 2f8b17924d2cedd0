package nats.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Certificates and private keys from PEM files, as Go's {@code tls.LoadX509KeyPair} accepts them: certificate
 * chains, and unencrypted private keys in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or
 * SEC1 ({@code EC PRIVATE KEY}) form. The JDK reads only PKCS#8, so the other two are wrapped into it with
 * BouncyCastle's ASN.1 classes (bcprov, no bcpkix).
 */
final class PemKeys {

    /** Key algorithms by the OID in a PKCS#8 AlgorithmIdentifier, as JDK KeyFactory names. */
    private static final Map<String, String> ALGORITHMS = Map.of(
            PKCSObjectIdentifiers.rsaEncryption.getId(), "RSA",
            PKCSObjectIdentifiers.id_RSASSA_PSS.getId(), "RSASSA-PSS",
            X9ObjectIdentifiers.id_ecPublicKey.getId(), "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

    private PemKeys() {
    }

    /** All certificates in the file, in file order (for cert_file: the leaf first). */
    static List<X509Certificate> certificates(Path file, String key) throws TlsSetupException {
        List<X509Certificate> certificates = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Pem.Block block : Pem.read(file, key)) {
            if (!block.type().equals("CERTIFICATE")) {
                skipped.add(block.type());
                continue;
            }
            try {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            } catch (CertificateException e) {
                throw new TlsSetupException(key + " " + file + ": certificate " + (certificates.size() + 1)
                        + " cannot be parsed: " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsSetupException(key + " " + file + " contains no CERTIFICATE block"
                    + (skipped.isEmpty() ? "" : " (found " + String.join(", ", skipped) + ")"));
        }
        return certificates;
    }

    /** The first private key in the file; other blocks (such as EC PARAMETERS) are skipped, as in Go. */
    static PrivateKey privateKey(Path file, String key) throws TlsSetupException {
        boolean sawCertificate = false;
        for (Pem.Block block : Pem.read(file, key)) {
            String type = block.type();
            if (type.equals("ENCRYPTED PRIVATE KEY") || block.headers().getOrDefault("Proc-Type", "")
                    .contains("ENCRYPTED")) {
                throw new TlsSetupException(key + " " + file + " holds an encrypted private key, which is not "
                        + "supported: decrypt it first (openssl pkey -in encrypted.pem -out key.pem)");
            }
            try {
                switch (type) {
                    case "PRIVATE KEY" -> {
                        return fromPkcs8(block.der());
                    }
                    case "RSA PRIVATE KEY" -> {
                        return fromPkcs8(rsaToPkcs8(block.der()));
                    }
                    case "EC PRIVATE KEY" -> {
                        return fromPkcs8(ecToPkcs8(block.der()));
                    }
                    case "CERTIFICATE" -> sawCertificate = true;
                    default -> {
                        // not a key: skip, as Go does with e.g. EC PARAMETERS
                    }
                }
            } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
                throw new TlsSetupException(key + " " + file + ": the " + type + " cannot be parsed: "
                        + e.getMessage(), e);
            }
        }
        throw new TlsSetupException(key + " " + file + (sawCertificate
                ? " holds a certificate rather than a private key"
                : " contains no private key (expected a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)"));
    }

    private static PrivateKey fromPkcs8(byte[] der) throws GeneralSecurityException {
        ASN1ObjectIdentifier oid = PrivateKeyInfo.getInstance(der).getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = ALGORITHMS.get(oid.getId());
        if (algorithm == null) {
            throw new GeneralSecurityException("unsupported key algorithm " + oid.getId());
        }
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo with the rsaEncryption algorithm. */
    private static byte[] rsaToPkcs8(byte[] pkcs1) throws IOException {
        RSAPrivateKey rsa = RSAPrivateKey.getInstance(pkcs1);
        return new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa)
                .getEncoded();
    }

    /** SEC1 ECPrivateKey inside a PKCS#8 PrivateKeyInfo, with the curve its parameters field names. */
    private static byte[] ecToPkcs8(byte[] sec1) throws IOException {
        ECPrivateKey ec = ECPrivateKey.getInstance(sec1);
        ASN1Encodable curve = ec.getParametersObject();
        if (curve == null) {
            throw new IOException("the EC key does not name its curve");
        }
        return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), ec).getEncoded();
    }

    /**
     * Whether the private key belongs to the public key. RSA keys match when their moduli are equal, the check Go's
     * {@code tls.X509KeyPair} makes (a trial signature costs ~100 ms of interpreted BigInteger arithmetic at
     * start-up); other keys when a signature made with one verifies with the other.
     */
    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        if (privateKey instanceof java.security.interfaces.RSAPrivateCrtKey rsa
                && publicKey instanceof java.security.interfaces.RSAPublicKey rsaPublic) {
            return rsa.getModulus().equals(rsaPublic.getModulus())
                    && rsa.getPublicExponent().equals(rsaPublic.getPublicExponent());
        }
        try {
            Signature signer = signature(privateKey.getAlgorithm());
            byte[] probe = "jnatsd key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = signature(publicKey.getAlgorithm());
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Signature signature(String keyAlgorithm) throws GeneralSecurityException {
        return switch (keyAlgorithm) {
            case "RSA" -> Signature.getInstance("SHA256withRSA");
            case "EC" -> Signature.getInstance("SHA256withECDSA");
            case "RSASSA-PSS" -> {
                Signature s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                yield s;
            }
            default -> Signature.getInstance(keyAlgorithm); // Ed25519, Ed448, EdDSA
        };
    }
}
