package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The helpers that run commands for the root tests keep their time limit. */
class TestSupportTest {

    @Test
    void aHangingCommandFailsAtItsTimeoutAndIsKilled() {
        assumeTrue(Files.isExecutable(Path.of("/bin/sleep")), "needs /bin/sleep");
        // The guard is far above the command's 300 ms limit and far below its 60 s: a helper that
        // waits for the command's output before its timeout hangs here for the whole minute.
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IOException.class, () -> TestSupport.run(Duration.ofMillis(300), "/bin/sleep", "60")));
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertEquals(List.of(), sleepingChildren(), "the timed-out command is still running");
    }

    @Test
    void theOutputOfACommandIsReturned() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        assertEquals("out\nerr\n", TestSupport.run("/bin/sh", "-c", "echo out; echo err >&2"));
        assertEquals(3, TestSupport.exitCode("/bin/sh", "-c", "echo ignored; exit 3"));
    }

    @Test
    void aFailingCommandFailsWithItsOutput() {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        IOException e = assertThrows(IOException.class, () -> TestSupport.run("/bin/sh", "-c", "echo why; exit 2"));
        assertTrue(e.getMessage().contains("exit 2: why"), e.getMessage());
    }

    private static List<Long> sleepingChildren() {
        return ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.endsWith("sleep")).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }
}
