package io.mlvpn.launcher.control;

import java.util.List;

/**
 * What an action did. Instances are immutable.
 *
 * @param outcome how it ended
 * @param message one sentence for the operator
 * @param notApplied settings a reload left as they were until a restart
 */
public record ActionResult(Outcome outcome, String message, List<String> notApplied) {

    /** How an action ended, and the HTTP status it answers with. */
    public enum Outcome {
        /** Done (200). */
        DONE(200),
        /** The named link is not configured (404). */
        UNKNOWN_LINK(404),
        /** Not possible now, nothing changed (409), e.g. taking down the last link. */
        REFUSED(409),
        /** Tried and failed, nothing changed (500), e.g. a configuration file with an error. */
        FAILED(500);

        private final int httpStatus;

        Outcome(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** The HTTP status of an answer with this outcome. */
        public int httpStatus() {
            return httpStatus;
        }
    }

    /** Copies the list. */
    public ActionResult {
        notApplied = List.copyOf(notApplied);
    }

    /** Done, with a message. */
    public static ActionResult done(String message) {
        return new ActionResult(Outcome.DONE, message, List.of());
    }

    /** Refused, nothing changed. */
    public static ActionResult refused(String message) {
        return new ActionResult(Outcome.REFUSED, message, List.of());
    }

    /** Failed, nothing changed. */
    public static ActionResult failed(String message) {
        return new ActionResult(Outcome.FAILED, message, List.of());
    }

    /** Whether it was done. */
    public boolean ok() {
        return outcome == Outcome.DONE;
    }
}
