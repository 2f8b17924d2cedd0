package nats.cli;

import java.nio.file.Path;
import java.util.Optional;

import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import nats.transport.tls.TlsOptions;

/**
 * The {@code -tls*} flags on top of the config file, as Go's ConfigureOptions/overrideTLS apply them: any of
 * them replaces the file's TLS certificate, key, CA and verify setting (the handshake timeout and the 2.10
 * extensions stay; cipher suites and curves return to Go's defaults); {@code -tls=false} switches TLS off and
 * wins over the others.
 *
 * @param tls       -tls, null when not given
 * @param verify    -tlsverify, null when not given
 * @param cert      -tlscert
 * @param key       -tlskey
 * @param caCert    -tlscacert
 */
record TlsFlags(Boolean tls, Boolean verify, Path cert, Path key, Path caCert) {

    private boolean anyGiven() {
        return tls != null || verify != null || cert != null || key != null || caCert != null;
    }

    void applyTo(ServerOptions options) throws ServerStartException {
        if (Boolean.FALSE.equals(tls)) {
            options.tls(null);
            return;
        }
        if (!anyGiven()) {
            return;
        }
        if (cert == null) {
            throw new ServerStartException("TLS Server certificate must be present and valid");
        }
        if (key == null) {
            throw new ServerStartException("TLS Server private key must be present and valid");
        }
        Optional<TlsOptions> fromFile = options.tls();
        TlsOptions flags = TlsOptions.of(cert, key).withVerify(Boolean.TRUE.equals(verify));
        if (caCert != null) {
            flags = flags.withCaFile(caCert);
        }
        if (fromFile.isPresent()) {
            TlsOptions file = fromFile.get();
            flags = flags.withTimeout(file.timeout()).withVerifyAndMap(file.verifyAndMap())
                    .withPinnedCerts(file.pinnedCerts()).withMinVersion(file.minVersion())
                    .withHandshakeFirst(file.handshakeFirst());
        }
        options.tls(flags);
    }
}
