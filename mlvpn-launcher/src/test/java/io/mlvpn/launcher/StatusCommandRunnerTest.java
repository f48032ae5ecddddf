package io.mlvpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class StatusCommandRunnerTest {
    private static final Duration FINISH = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private StatusCommandRunner runner(Path command, Duration timeout) {
        Map<String, String> env = Map.of("IP4", "10.42.0.2", "IP4_ROUTES", "0.0.0.0/1 128.0.0.0/1",
                "IP4_GATEWAY", "10.42.0.1");
        return new StatusCommandRunner(command, "mlvpn7", 1400, env, timeout, "test-status-command",
                LoggerFactory.getLogger("test"));
    }

    @Test
    void callsRunOneAtATimeInSubmissionOrder() {
        FakeStatusCommand fake = FakeStatusCommand.in(dir);
        StatusCommandRunner r = runner(fake.script, Duration.ofSeconds(10));
        r.start();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            List<String> call = i % 3 == 2 ? List.of("tuntap_up") : List.of(i % 2 == 0 ? "rtun_up" : "rtun_down", "l" + i);
            assertTrue(r.submit(call));
            expected.add("mlvpn7 " + String.join(" ", call));
        }
        assertTrue(r.finish(FINISH));
        assertEquals(expected, fake.calls());
        assertEquals(12, r.runs());
        assertEquals(0, r.failures());
    }

    @Test
    void environmentHoldsTheHookVariablesDeviceAndMtu() {
        FakeStatusCommand fake = FakeStatusCommand.in(dir);
        StatusCommandRunner r = runner(fake.script, Duration.ofSeconds(10));
        r.start();
        r.submit(List.of("rtun_up", "adsl"));
        assertTrue(r.finish(FINISH));
        assertEquals(List.of("mlvpn7 rtun_up adsl|DEVICE=mlvpn7 MTU=1400 IP4=10.42.0.2 IP6= IP4_GATEWAY=10.42.0.1"
                + " IP6_GATEWAY= IP4_ROUTES=0.0.0.0/1 128.0.0.0/1 IP6_ROUTES= PWD=/ STDIN_EOF=1 PATH_SET=yes"),
                fake.lines(), "unset variables are set and empty; cwd /; stdin empty; PATH inherited");
    }

    @Test
    void environmentChangesApplyToLaterCalls() {
        FakeStatusCommand fake = FakeStatusCommand.in(dir);
        StatusCommandRunner r = runner(fake.script, Duration.ofSeconds(10));
        r.submit(List.of("rtun_up", "a"));
        r.environment(Map.of("IP4", "192.0.2.9"));
        r.start();
        r.submit(List.of("rtun_up", "b"));
        assertTrue(r.finish(FINISH));
        List<String> lines = fake.lines();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains(" IP4=192.0.2.9 "), lines.get(1));
        assertTrue(lines.get(1).contains(" IP4_GATEWAY= "), "a variable dropped by the reload is empty: "
                + lines.get(1));
    }

    @Test
    void aCallOverTheTimeLimitIsKilledWithWhatItStartedAndTheNextOneRuns() throws Exception {
        FakeStatusCommand fake = FakeStatusCommand.in(dir);
        StatusCommandRunner r = runner(fake.script, Duration.ofMillis(300));
        r.start();
        r.submit(List.of("rtun_up", "hang"));
        r.submit(List.of("rtun_down", "next"));
        assertTrue(r.finish(FINISH));
        assertEquals(1, r.timeouts());
        assertEquals(0, r.failures());
        assertEquals(2, r.runs());
        assertEquals(List.of("mlvpn7 rtun_down next"), fake.calls(), "the killed call never got to record itself");
        long sleeper = Long.parseLong(Files.readString(fake.sleeperPid).trim());
        Optional<ProcessHandle> h = ProcessHandle.of(sleeper);
        if (h.isPresent()) {
            // Killed, but its new parent may reap it a moment later.
            h.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertFalse(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false),
                "the script's child was killed too (it would sleep 60 s)");
    }

    @Test
    void aNonZeroExitIsCountedAndTheNextCallRuns() {
        FakeStatusCommand fake = FakeStatusCommand.in(dir);
        StatusCommandRunner r = runner(fake.script, Duration.ofSeconds(10));
        r.start();
        r.submit(List.of("rtun_up", "fail"));
        r.submit(List.of("rtun_up", "ok"));
        assertTrue(r.finish(FINISH));
        assertEquals(1, r.failures());
        assertEquals(List.of("mlvpn7 rtun_up fail", "mlvpn7 rtun_up ok"), fake.calls());
    }

    @Test
    void aCommandThatCannotStartIsAFailureNotACrash() {
        StatusCommandRunner r = runner(dir.resolve("gone.sh"), Duration.ofSeconds(10));
        r.start();
        r.submit(List.of("tuntap_up"));
        r.submit(List.of("tuntap_down"));
        assertTrue(r.finish(FINISH));
        assertEquals(2, r.failures());
        assertEquals(2, r.runs());
    }

    @Test
    void aFullQueueDropsAndCounts() {
        FakeStatusCommand fake = FakeStatusCommand.in(dir);
        StatusCommandRunner r = runner(fake.script, Duration.ofSeconds(10));
        // Not started: nothing is taken from the queue.
        int accepted = 0;
        for (int i = 0; i < StatusCommandRunner.QUEUE_CAPACITY + 5; i++) {
            if (r.submit(List.of("rtun_up", "l" + i))) {
                accepted++;
            }
        }
        assertEquals(StatusCommandRunner.QUEUE_CAPACITY, accepted);
        assertEquals(5, r.dropped());
    }

    @Test
    void afterFinishCallsAreDropped() {
        FakeStatusCommand fake = FakeStatusCommand.in(dir);
        StatusCommandRunner r = runner(fake.script, Duration.ofSeconds(10));
        r.start();
        assertTrue(r.finish(FINISH));
        assertFalse(r.submit(List.of("tuntap_up")));
        assertEquals(1, r.dropped());
        assertEquals(List.of(), fake.calls());
    }

    @Test
    void variablesAreInMlvpnOrder() {
        StatusCommandRunner r = runner(dir.resolve("x"), Duration.ofSeconds(1));
        assertEquals(List.of("IP4", "IP6", "IP4_GATEWAY", "IP6_GATEWAY", "IP4_ROUTES", "IP6_ROUTES", "DEVICE", "MTU"),
                List.copyOf(r.variables().keySet()));
    }

    @Test
    void aUsableScriptHasNoProblem() {
        assertEquals(Optional.empty(), StatusCommandRunner.problem(FakeStatusCommand.in(dir).script));
    }

    @Test
    void problemsOfUnusableScripts() throws Exception {
        assertTrue(StatusCommandRunner.problem(dir.resolve("absent")).orElseThrow().endsWith("no such file"));
        assertTrue(StatusCommandRunner.problem(dir).orElseThrow().endsWith("not a regular file"));
        Path plain = Files.writeString(dir.resolve("plain.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-------"));
        // Even root may not execute a file without any x bit.
        assertTrue(StatusCommandRunner.problem(plain).orElseThrow().endsWith("not executable"));
        Path shared = FakeStatusCommand.in(dir).script;
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertTrue(StatusCommandRunner.problem(shared).orElseThrow().contains("writable by group or others"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xrwx"));
        assertTrue(StatusCommandRunner.problem(shared).orElseThrow().contains("chmod go-w"));
    }

    @Test
    void aScriptThatBecameUnsafeAfterStartIsNotRun() throws Exception {
        FakeStatusCommand fake = FakeStatusCommand.in(dir);
        StatusCommandRunner r = runner(fake.script, Duration.ofSeconds(10));
        assertEquals(Optional.empty(), StatusCommandRunner.problem(fake.script), "trusted at start");
        r.start();
        // Someone else may now replace the script: the directory became writable by everyone.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        r.submit(List.of("rtun_up", "after"));
        assertTrue(r.finish(FINISH));
        assertEquals(List.of(), fake.calls());
        assertEquals(1, r.runs());
        assertEquals(1, r.failures());
    }
}
