package io.mlvpn.core.link;

/**
 * What a link's state needs of a session: its identity (sessions are compared by reference) and
 * how many sequence numbers were used on a link under it. Implemented by the engine's session;
 * lets {@code core.link} keep per-session measurements without depending on the engine.
 */
public interface LinkSession {
    /** Sequence numbers used so far on link {@code link} under this session. */
    long sequencesSent(int link);
}
