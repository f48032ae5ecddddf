package io.mlvpn.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A paced UDP stream with sequence numbers, for the end-to-end soak and flap scenarios
 * ({@code benchmarks/e2e/run.sh}): tells exactly which datagrams a tunnel lost and when they were
 * sent, so that losses can be matched against the times links were cut.
 *
 * <pre>
 * send HOST PORT RATE_BPS SIZE     until SIGTERM; prints a "sender ..." summary line at exit
 * receive HOST PORT                until SIGTERM; prints "receiver ..." and "missing ..." lines
 * analyze SENDER RECEIVER EVENTS WINDOW_MS LOST_OUT
 *                                  prints one line of udp_* keys (see below)
 * </pre>
 *
 * <p>Each datagram starts with a 24-byte header: magic, flags, sequence number, send time
 * (microseconds since the epoch, the clock {@code date +%s%N} and bash's {@code EPOCHREALTIME}
 * read, so the script's cut times compare directly). The sender keeps an absolute schedule
 * (datagram n is due at start + n x interval). When it wakes more than 50 ms late (a stall: on a
 * busy machine the process got no CPU) it does not send the backlog in one burst, which would
 * overflow the tunnel's queues and count as the tunnel's loss: the schedule moves on by the delay,
 * and the stall is counted ({@code stalls}, {@code max_late_us} in the sender's summary).
 *
 * <p>The receiver stores each sequence number's send time. A missing range is printed with the send
 * times of its received neighbours; {@code analyze} interpolates the send times of the missing
 * datagrams between them (exact for a paced stream), and takes a lost tail's times from the
 * sender's schedule. A lost datagram is excused when it was sent within WINDOW_MS after a
 * {@code cut} in EVENTS (lines {@code EPOCH_US cut|heal LINK}); the others are "outside". The
 * output keys: {@code udp_sent}, {@code udp_received}, {@code udp_lost},
 * {@code udp_lost_outside}, {@code udp_lost_outside_all_up} (of those, sent while no link was cut:
 * the loss cannot be blamed on a cut at all), {@code udp_duplicates}, {@code udp_reordered}. LOST_OUT
 * receives one line per lost datagram: sequence number, send time, microseconds since the last cut
 * (-1 before any), {@code in}/{@code OUT} of the window, and {@code cut}/{@code all-up}.
 * {@code udp_sender_stalls} and {@code udp_sender_max_late_ms} tell how often and how long the
 * sender itself got no CPU (a tail lost after a stall gets approximate send times).
 */
public final class UdpSequenceStream {
    private static final int MAGIC = 0x4d4c5351; // "MLSQ"
    private static final int HEADER = 24;
    private static final int FLAG_DATA = 0;
    private static final long STALL_NANOS = 50_000_000L;

    private UdpSequenceStream() {
    }

    /**
     * Runs one mode; see the class description.
     *
     * @param args the mode and its arguments
     * @throws Exception when the mode fails; the JVM then exits with status 1
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals("send")) {
            send(new InetSocketAddress(args[1], Integer.parseInt(args[2])), Long.parseLong(args[3]),
                    Integer.parseInt(args[4]));
        } else if (args.length == 3 && args[0].equals("receive")) {
            receive(new InetSocketAddress(args[1], Integer.parseInt(args[2])));
        } else if (args.length == 6 && args[0].equals("analyze")) {
            System.out.println(analyze(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]),
                    Long.parseLong(args[4]) * 1000, Path.of(args[5])));
        } else {
            System.err.println("usage: send HOST PORT RATE_BPS SIZE | receive HOST PORT"
                    + " | analyze SENDER RECEIVER EVENTS WINDOW_MS LOST_OUT");
            System.exit(2);
        }
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** Sends until SIGTERM; the shutdown hook prints the summary after the last datagram. */
    private static void send(InetSocketAddress to, long rateBps, int size) throws IOException, InterruptedException {
        if (size < HEADER || size > 1400 || rateBps <= 0) {
            throw new IllegalArgumentException("SIZE must be " + HEADER + "..1400 and RATE_BPS positive");
        }
        long intervalNanos = Math.max(1, size * 8L * 1_000_000_000L / rateBps);
        CountDownLatch done = new CountDownLatch(1);
        long[] state = new long[5]; // sent, start epoch us, max lateness us, send errors, stalls
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (state) {
                System.out.printf("sender sent=%d start_us=%d interval_us=%.3f max_late_us=%d send_errors=%d"
                        + " stalls=%d%n", state[0], state[1], intervalNanos / 1000.0, state[2], state[3], state[4]);
            }
            System.out.flush();
        }, "summary"));
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ByteBuffer b = ByteBuffer.allocateDirect(size);
            long startNanos = System.nanoTime();
            long startMicros = epochMicros();
            synchronized (state) {
                state[1] = startMicros;
            }
            long shift = 0; // the schedule's delay from stalls so far
            for (long seq = 0; !Thread.currentThread().isInterrupted(); seq++) {
                long due = startNanos + shift + seq * intervalNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
                    LockSupport.parkNanos(wait);
                }
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                long lateNanos = System.nanoTime() - due;
                long late = lateNanos / 1000;
                boolean stall = lateNanos > STALL_NANOS;
                if (stall) {
                    shift += lateNanos;
                    due += lateNanos;
                }
                b.clear();
                b.putInt(MAGIC).putInt(FLAG_DATA).putLong(seq).putLong(startMicros + (due - startNanos) / 1000);
                b.position(size).flip();
                try {
                    ch.send(b, to);
                } catch (ClosedChannelException e) {
                    break;
                } catch (IOException e) {
                    // No route while the tunnel is down: the datagram counts as sent and lost.
                    synchronized (state) {
                        state[3]++;
                    }
                }
                synchronized (state) {
                    state[0] = seq + 1;
                    state[2] = Math.max(state[2], late);
                    state[4] += stall ? 1 : 0;
                }
            }
        } finally {
            done.countDown();
        }
    }

    /** Receives until SIGTERM; the shutdown hook closes the socket and prints the summary. */
    private static void receive(InetSocketAddress bind) throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.bind(bind);
        Receiver r = new Receiver();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                ch.close();
                done.await(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (r) {
                r.print(System.out);
            }
            System.out.flush();
        }, "summary"));
        ByteBuffer b = ByteBuffer.allocateDirect(2048);
        try {
            while (true) {
                b.clear();
                ch.receive(b);
                b.flip();
                synchronized (r) {
                    r.accept(b);
                }
            }
        } catch (ClosedChannelException e) {
            // SIGTERM: the hook closed the socket.
        } finally {
            done.countDown();
        }
    }

    /** What the receiver saw: send time per sequence number, duplicates, reordering. */
    static final class Receiver {
        private final BitSet seen = new BitSet();
        private long[] sentMicros = new long[1 << 16];
        private long maxSeq = -1;
        private long received;
        private long duplicates;
        private long reordered;
        private long foreign;

        void accept(ByteBuffer b) {
            if (b.remaining() < HEADER || b.getInt() != MAGIC || b.getInt() != FLAG_DATA) {
                foreign++;
                return;
            }
            long seq = b.getLong();
            long micros = b.getLong();
            if (seq < 0 || seq >= Integer.MAX_VALUE) {
                foreign++;
                return;
            }
            int s = (int) seq;
            if (seen.get(s)) {
                duplicates++;
                return;
            }
            seen.set(s);
            received++;
            if (s >= sentMicros.length) {
                sentMicros = Arrays.copyOf(sentMicros, Math.max(s + 1, sentMicros.length * 2));
            }
            sentMicros[s] = micros;
            if (seq < maxSeq) {
                reordered++;
            }
            maxSeq = Math.max(maxSeq, seq);
        }

        void print(PrintStream out) {
            out.printf("receiver received=%d max_seq=%d duplicates=%d reordered=%d foreign=%d%n", received, maxSeq,
                    duplicates, reordered, foreign);
            int from = seen.nextClearBit(0);
            while (from < maxSeq) {
                int to = seen.nextSetBit(from) - 1; // maxSeq is set, so there is one
                out.printf("missing %d %d %d %d%n", from, to, from > 0 ? sentMicros[from - 1] : -1, sentMicros[to + 1]);
                from = seen.nextClearBit(to + 1);
            }
        }
    }

    private static String value(String line, String key) {
        for (String kv : line.split(" ")) {
            if (kv.startsWith(key + "=")) {
                return kv.substring(key.length() + 1);
            }
        }
        throw new IllegalArgumentException("no " + key + " in: " + line);
    }

    private static String firstLine(Path file, String prefix) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }
        throw new IOException(file + ": no line starting with '" + prefix + "' (did the process exit in order?)");
    }

    /** Matches the lost datagrams against the cuts; returns the line of udp_* keys. */
    static String analyze(Path senderFile, Path receiverFile, Path eventsFile, long windowMicros, Path lostOut)
            throws IOException {
        String sender = firstLine(senderFile, "sender ");
        long sent = Long.parseLong(value(sender, "sent"));
        long start = Long.parseLong(value(sender, "start_us"));
        double interval = Double.parseDouble(value(sender, "interval_us"));
        String receiver = firstLine(receiverFile, "receiver ");
        long received = Long.parseLong(value(receiver, "received"));
        long maxSeq = Long.parseLong(value(receiver, "max_seq"));

        List<String[]> events = Files.readAllLines(eventsFile, StandardCharsets.UTF_8).stream()
                .map(line -> line.trim().split("\\s+"))
                .filter(f -> f.length >= 2 && (f[1].equals("cut") || f[1].equals("heal")))
                .sorted((a, b) -> Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0])))
                .toList();
        long[] cutTimes = events.stream().filter(f -> f[1].equals("cut")).mapToLong(f -> Long.parseLong(f[0]))
                .toArray();
        long[] eventTimes = events.stream().mapToLong(f -> Long.parseLong(f[0])).toArray();

        // Missing ranges: from the receiver, then the tail it never saw (times from the schedule).
        List<long[]> ranges = new ArrayList<>();
        for (String line : Files.readAllLines(receiverFile, StandardCharsets.UTF_8)) {
            if (line.startsWith("missing ")) {
                String[] f = line.split(" ");
                ranges.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[4])});
            }
        }
        if (maxSeq + 1 < sent) {
            ranges.add(new long[] {maxSeq + 1, sent - 1, -1, -1});
        }
        long lost = 0;
        long outside = 0;
        long outsideBothUp = 0;
        try (PrintStream out = new PrintStream(Files.newOutputStream(lostOut), false, StandardCharsets.UTF_8)) {
            out.println("# seq send_us since_cut_us in|OUT cut|all-up (window " + windowMicros + " us)");
            for (long[] r : ranges) {
                for (long seq = r[0]; seq <= r[1]; seq++) {
                    long t;
                    if (r[2] >= 0 && r[3] >= 0) {
                        t = r[2] + (r[3] - r[2]) * (seq - r[0] + 1) / (r[1] - r[0] + 2);
                    } else {
                        t = start + Math.round(seq * interval);
                    }
                    int i = Arrays.binarySearch(cutTimes, t);
                    int last = i >= 0 ? i : -i - 2;
                    long since = last >= 0 ? t - cutTimes[last] : -1;
                    boolean in = since >= 0 && since < windowMicros;
                    // Was a link cut when it was sent? The last event before t says.
                    int e = Arrays.binarySearch(eventTimes, t);
                    int before = e >= 0 ? e : -e - 2;
                    boolean cutInEffect = before >= 0 && events.get(before)[1].equals("cut");
                    lost++;
                    if (!in) {
                        outside++;
                        if (!cutInEffect) {
                            outsideBothUp++;
                        }
                    }
                    out.printf("%d %d %d %s %s%n", seq, t, since, in ? "in" : "OUT", cutInEffect ? "cut" : "all-up");
                }
            }
        }
        return String.format("udp_sent=%d udp_received=%d udp_lost=%d udp_lost_outside=%d"
                + " udp_lost_outside_all_up=%d udp_duplicates=%s udp_reordered=%s udp_sender_stalls=%s"
                + " udp_sender_max_late_ms=%d", sent, received, lost, outside, outsideBothUp,
                value(receiver, "duplicates"), value(receiver, "reordered"), value(sender, "stalls"),
                Long.parseLong(value(sender, "max_late_us")) / 1000);
    }
}
