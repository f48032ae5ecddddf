package io.mlvpn.tun.linux;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.system.ProcessServices;
import io.mlvpn.api.transport.TransportConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Run by {@link LinuxProcessServicesTest} in a child JVM, as root, inside a test namespace: drops
 * to the user named by the first argument and prints {@code key=value} lines describing what every
 * thread then holds. Exit code 0 when it got that far.
 */
public final class DropPrivilegesChild {
    private DropPrivilegesChild() {
    }

    /** Entry point; args[0] is the user to drop to. */
    public static void main(String[] args) throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        StringBuilder beforeReport = new StringBuilder();
        Thread before = new Thread(() -> {
            try {
                dropped.await();
                beforeReport.append("before.capEff=").append(capEff(thisTask())).append('\n');
                beforeReport.append("before.configure=").append(tryConfigure("mlvtp0", 1300, "10.98.0.1/24"))
                        .append('\n');
            } catch (InterruptedException | IOException e) {
                beforeReport.append("before.error=").append(e).append('\n');
            }
        }, "started-before-drop");
        before.start();

        // Load every class used after the drop while still root (the class path may not be readable later).
        System.out.println("warmup.tun=" + tryTun("mlvtpw", "10.98.9.1/24"));
        // /dev/net/tun is often root-only (0600): the device is opened before the drop, as a launcher would.
        LinuxTunDevice kept = LinuxTunDevice.open(DeviceConfig.builder().name("mlvtp0").build());
        System.out.println("warmup.configure=" + tryConfigure("mlvtp0", 1400, "10.98.0.1/24"));
        System.out.println("warmup.rcvbuf=" + forcedReceiveBuffer());
        StringBuilder afterReport = new StringBuilder();
        Thread after = new Thread(() -> {
            try {
                afterReport.append("after.capEff=").append(capEff(thisTask())).append('\n');
                afterReport.append("after.configure=").append(tryConfigure("mlvtp0", 1400, "10.98.0.1/24"))
                        .append('\n');
                afterReport.append("after.rcvbuf=").append(forcedReceiveBuffer()).append('\n');
            } catch (IOException e) {
                afterReport.append("after.error=").append(e).append('\n');
            }
        }, "started-after-drop");

        ProcessServices services = new LinuxProcessServicesProvider().services();
        services.dropPrivileges(args[0]);

        System.out.println("euid=" + services.effectiveUserId());
        System.out.println("main.capEff=" + capEff(thisTask()));
        try {
            services.dropPrivileges(args[0]);
            System.out.println("second.drop=succeeded");
        } catch (IOException e) {
            System.out.println("second.drop=" + e.getMessage());
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String status = Files.readString(task.resolve("status"), StandardCharsets.US_ASCII);
                System.out.println("task." + task.getFileName() + ".uid=" + field(status, "Uid:"));
                System.out.println("task." + task.getFileName() + ".gid=" + field(status, "Gid:"));
            }
        }
        after.start();
        after.join();
        System.out.print(afterReport);
        dropped.countDown();
        before.join();
        System.out.print(beforeReport);
        kept.close();
        System.out.println("done=true");
    }

    private static Path thisTask() throws IOException {
        return Path.of("/proc/thread-self").toRealPath();
    }

    private static String capEff(Path task) throws IOException {
        return field(Files.readString(task.resolve("status"), StandardCharsets.US_ASCII), "CapEff:");
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).trim().replaceAll("\\s+", " ");
            }
        }
        return "missing";
    }

    private static String tryTun(String name, String address) {
        try (LinuxTunDevice device = LinuxTunDevice.open(
                DeviceConfig.builder().name(name).mtu(1400).configure(true).address(address).build())) {
            return device.name().equals(name) ? "ok" : "named " + device.name();
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static String tryConfigure(String name, int mtu, String address) {
        try {
            InterfaceConfigurator.configure(name, mtu, InterfaceAddress.parse(address, "address"), null);
            return "ok";
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static String forcedReceiveBuffer() throws IOException {
        try (LinuxUdpTransport t = LinuxUdpTransport.open(
                TransportConfig.builder(new InetSocketAddress(0)).receiveBufferBytes(8 << 20).build())) {
            return Integer.toString(t.receiveBufferBytes());
        }
    }
}
