package nats.server.internal.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Base62Test {

    /** Go's getHash of a server name: its SHA-256's first 8 bytes modulo 62 (expected values from sha256sum). */
    @Test
    void nameHashIsTheFirstEightBytesOfSha256InBase62() {
        assertEquals("30rJzJKc", Base62.nameHash("NAN72RUBDE33C4VD2RCU7"));
        assertEquals("w87c1zJE", Base62.nameHash("srv-a"));
        assertEquals("28aM3DIr", Base62.nameHash("名前"));
    }
}
