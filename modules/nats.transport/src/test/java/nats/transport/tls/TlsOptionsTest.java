package nats.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TlsOptionsTest {

    private static TlsOptions withTimeout(Duration timeout) {
        return new TlsOptions(Path.of("cert.pem"), Path.of("key.pem"), Optional.empty(), false, false, timeout,
                List.of(), List.of(), TlsOptions.TLS_1_2, false, Set.of());
    }

    @Test
    void defaultAuthTimeoutIsGos() {
        assertEquals(Duration.ofSeconds(2), TlsOptions.defaultAuthTimeout(Optional.empty()),
                "without TLS: Go's AUTH_TIMEOUT");
        assertEquals(Duration.ofSeconds(3),
                TlsOptions.defaultAuthTimeout(Optional.of(withTimeout(Duration.ofSeconds(2)))),
                "with TLS: the handshake timeout plus a second");
        assertEquals(Duration.ofMillis(1500),
                TlsOptions.defaultAuthTimeout(Optional.of(withTimeout(Duration.ofMillis(500)))),
                "a short TLS timeout gives a shorter auth timeout than AUTH_TIMEOUT, as Go's getDefaultAuthTimeout");
    }
}
