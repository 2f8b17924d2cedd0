package nats.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProcFsTest {

  @Test
  void statTicksAreCountedAfterTheCommandName() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    String stat = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 37 0 0 20 0";
    assertEquals(287, ProcFs.parseStatTicks(stat), "utime 250 + stime 37");
    assertEquals(-1, ProcFs.parseStatTicks("garbage"));
  }

  @Test
  void findsTheListeningSocketInode() {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    String listen = "  0: 0100007F:3A9E 00000000:0000 0A 00000000:00000000 00:00000000 00000000"
        + "     0        0 123456 1 0000000000000000 100 0 0 10 0";
    assertEquals("123456", ProcFs.listeningInode(listen, 0x3A9E));
    assertNull(ProcFs.listeningInode(listen, 15000), "another port");
    assertNull(ProcFs.listeningInode(listen.replace(" 0A ", " 01 "), 0x3A9E), "not LISTEN");
  }

  @Test
  @Timeout(10)
  void findsThisProcessAsTheListenerOfItsOwnPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(ProcessHandle.current().pid(), ProcFs.listenerPid(s.getLocalPort()));
    }
  }

  @Test
  void cpuMeterReportsPerMessageFiguresAndTheGeneratorsShare() {
    long self = ProcessHandle.current().pid();
    CpuMeter cpu = CpuMeter.start(self); // the "server" is this JVM: share must be about 1
    long sink = 0;
    // Spin until this process has used 150 ms of CPU (not 150 ms of wall time: a loaded machine gives less).
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    while (processCpuNanos() - cpu0 < 150_000_000L && System.nanoTime() - t0 < 20_000_000_000L) {
      for (int i = 0; i < 10_000; i++) {
        sink += Long.numberOfTrailingZeros(System.nanoTime());
      }
    }
    Map<String, Number> m = new LinkedHashMap<>();
    cpu.finish(m, 1000, 4000);
    assertTrue(sink >= 0);
    assertTrue(m.get("server_cpu_ms").longValue() >= 50, "busy loop counted: " + m);
    assertEquals(m.get("server_cpu_ms").doubleValue() * 1e6 / 1000,
        m.get("server_ns_per_msg").doubleValue(), 1_000, "per message = total / msgs");
    assertEquals(m.get("server_ns_per_msg").doubleValue() / 4,
        m.get("server_ns_per_delivery").doubleValue(), 1e-6, "per delivery = total / deliveries");
    assertTrue(m.get("client_cpu_share").doubleValue() > 0.5, "same process on both sides: " + m);
  }

  private static long processCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
  }
}
