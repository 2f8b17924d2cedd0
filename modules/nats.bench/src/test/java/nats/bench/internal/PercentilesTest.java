package nats.bench.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankOnOneToThousand() {
    long[] samples = new long[1000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = 1000 - i; // reversed: the summary must sort
    }
    long[] copy = samples.clone();
    Percentiles p = Percentiles.of(samples, samples.length);
    assertArrayEquals(copy, samples, "input is not modified");
    assertEquals(1000, p.count());
    assertEquals(1, p.min());
    assertEquals(500, p.p50());
    assertEquals(900, p.p90());
    assertEquals(990, p.p99());
    assertEquals(999, p.p999());
    assertEquals(1000, p.max());
    assertEquals(500.5, p.mean(), 1e-9);
  }

  @Test
  void smallSampleSets() {
    assertEquals(7, Percentiles.of(new long[] {7}, 1).p999());
    long[] ten = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    Percentiles p = Percentiles.of(ten, 10);
    assertEquals(50, p.p50());
    assertEquals(90, p.p90());
    assertEquals(100, p.p99());
    assertEquals(100, p.p999());
  }

  @Test
  void usesOnlyTheFirstCountSamples() {
    long[] s = new long[100];
    Arrays.fill(s, 1_000_000);
    s[0] = 3;
    s[1] = 1;
    s[2] = 2;
    Percentiles p = Percentiles.of(s, 3);
    assertEquals(3, p.count());
    assertEquals(2, p.p50());
    assertEquals(3, p.max());
  }

  @Test
  void emptyIsAllZero() {
    assertEquals(0, Percentiles.of(new long[0], 0).p99());
  }
}
