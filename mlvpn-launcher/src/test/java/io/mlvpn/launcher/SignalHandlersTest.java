package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SignalHandlersTest {
    @Test
    void aHandledSignalRunsTheAction() throws Exception {
        CountDownLatch hup = new CountDownLatch(1);
        List<String> problems = SignalHandlers.install(Map.of("HUP", hup::countDown));
        // Without our handler SIGHUP would end the test JVM: only send it once it is installed.
        assertEquals(List.of(), problems);
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
        assertEquals(0, kill.waitFor());
        assertTrue(hup.await(10, TimeUnit.SECONDS), "the handler ran");
    }

    @Test
    void anUnknownSignalIsReportedNotThrown() {
        List<String> problems = SignalHandlers.install(Map.of("NOSUCHSIGNAL", () -> { }));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("SIGNOSUCHSIGNAL: "), problems.get(0));
    }
}
