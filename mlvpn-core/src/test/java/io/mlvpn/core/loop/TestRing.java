package io.mlvpn.core.loop;

/** The four ring operations, so one contract test runs against every ring. */
interface TestRing {
    boolean offer(Long e);

    Long poll();

    int size();

    int capacity();

    static TestRing of(SpscRing<Long> r) {
        return new TestRing() {
            @Override public boolean offer(Long e) { return r.offer(e); }
            @Override public Long poll() { return r.poll(); }
            @Override public int size() { return r.size(); }
            @Override public int capacity() { return r.capacity(); }
        };
    }

    static TestRing of(MpscRing<Long> r) {
        return new TestRing() {
            @Override public boolean offer(Long e) { return r.offer(e); }
            @Override public Long poll() { return r.poll(); }
            @Override public int size() { return r.size(); }
            @Override public int capacity() { return r.capacity(); }
        };
    }

    static TestRing of(MpmcRing<Long> r) {
        return new TestRing() {
            @Override public boolean offer(Long e) { return r.offer(e); }
            @Override public Long poll() { return r.poll(); }
            @Override public int size() { return r.size(); }
            @Override public int capacity() { return r.capacity(); }
        };
    }
}
