package nats.server.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The platform-thread budget and the busy/quiet rule that moves a loop between thread kinds. */
class PlatformThreadsTest {

    private static final long WINDOW = PlatformThreads.WINDOW_NANOS;

    @Test
    void budgetIsBoundedAndReturned() {
        PlatformThreads threads = new PlatformThreads(2);
        assertTrue(threads.tryAcquire(), "first of two threads is granted");
        assertTrue(threads.tryAcquire(), "second of two threads is granted");
        assertFalse(threads.tryAcquire(), "a third thread is refused");
        threads.release();
        assertEquals(1, threads.inUse(), "one thread in use after one release");
        assertTrue(threads.tryAcquire(), "a returned thread can be taken again");
    }

    @Test
    void zeroBudgetKeepsEverythingVirtual() {
        assertFalse(new PlatformThreads(0).tryAcquire(), "no platform thread with a budget of 0");
    }

    @Test
    void virtualLoopMovesOnceAWindowIsBusy() {
        long t = 1_000_000_000L;
        PlatformThreads.Activity activity = new PlatformThreads.Activity(t);
        for (int i = 1; i < PlatformThreads.PROMOTE_EVENTS; i++) {
            assertFalse(activity.shouldMove(false, t + i), "not busy yet after " + i + " wake-ups");
        }
        assertTrue(activity.shouldMove(false, t + WINDOW / 2), "busy at the threshold within one window");
    }

    @Test
    void wakeUpsSpreadOverWindowsDoNotPromote() {
        long t = 0;
        PlatformThreads.Activity activity = new PlatformThreads.Activity(t);
        // Half the threshold per window, for many windows.
        long step = WINDOW / (PlatformThreads.PROMOTE_EVENTS / 2);
        for (int i = 0; i < 10 * PlatformThreads.PROMOTE_EVENTS; i++) {
            t += step;
            assertFalse(activity.shouldMove(false, t), "a loop waking at half the busy rate stays virtual");
        }
    }

    @Test
    void platformLoopMovesBackAfterAQuietWindowOnly() {
        long t = 0;
        PlatformThreads.Activity activity = new PlatformThreads.Activity(t);
        // Busy windows: a platform loop stays.
        for (int i = 0; i < 5 * PlatformThreads.PROMOTE_EVENTS; i++) {
            t += WINDOW / PlatformThreads.PROMOTE_EVENTS;
            assertFalse(activity.shouldMove(true, t), "a busy platform loop stays at wake-up " + i);
        }
        // The next wake-up comes after a long silence: that window was quiet.
        t += 10 * WINDOW;
        assertTrue(activity.shouldMove(true, t), "a platform loop that was quiet for a window moves back");
    }

    @Test
    void virtualLoopThatBlocksOftenMovesBelowTheBusyRate() {
        long t = 0;
        PlatformThreads.Activity activity = new PlatformThreads.Activity(t);
        long step = WINDOW / (2 * PlatformThreads.PROMOTE_BLOCKED_EVENTS);
        for (int i = 1; i < PlatformThreads.PROMOTE_BLOCKED_EVENTS; i++) {
            t += step;
            assertFalse(activity.shouldMove(false, t, true), "not yet after " + i + " blocked wake-ups");
        }
        t += step;
        assertTrue(activity.shouldMove(false, t, true), "a loop blocking at the threshold moves to a platform thread");
    }

    @Test
    void quickWakeUpsAtTheBlockedRateStayVirtual() {
        long t = 0;
        PlatformThreads.Activity activity = new PlatformThreads.Activity(t);
        long step = WINDOW / (2 * PlatformThreads.PROMOTE_BLOCKED_EVENTS);
        for (int i = 0; i < 10 * PlatformThreads.PROMOTE_BLOCKED_EVENTS; i++) {
            t += step;
            assertFalse(activity.shouldMove(false, t, false),
                    "a loop that never blocks stays virtual below the busy rate");
        }
    }

    @Test
    void platformLoopThatBlocksOnAStallingDiskStays() {
        long t = 0;
        PlatformThreads.Activity activity = new PlatformThreads.Activity(t);
        // Five blocked wake-ups per window (a sync publisher behind a disk taking 20 ms per sync): few, not quiet.
        for (int i = 0; i < 50; i++) {
            t += WINDOW / 5;
            assertFalse(activity.shouldMove(true, t, true), "a platform loop waiting on its disk stays at " + i);
        }
        t += 10 * WINDOW;
        assertTrue(activity.shouldMove(true, t, true), "and moves back once it has been silent for a window");
    }
}
