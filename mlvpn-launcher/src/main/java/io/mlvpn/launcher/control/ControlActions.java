package io.mlvpn.launcher.control;

import io.mlvpn.api.config.LinkConfig;
import java.util.List;

/**
 * What the control endpoint may ask of the launcher beyond reading. Implementations perform each
 * request on the thread that owns the tunnel and wait for it, so requests never overlap; they may
 * be called from any thread.
 */
public interface ControlActions {

    /** Reads the configuration file again and applies it, as SIGHUP does. */
    ActionResult reload();

    /**
     * Takes a link out of service ({@code down = true}) or puts it back. The link is closed (the
     * peer is told) and later opened again, so it comes back through the handshake and probation.
     */
    ActionResult setAdministrativelyDown(String link, boolean down);

    /** The configured links taken down by {@link #setAdministrativelyDown}, in configuration order. */
    List<LinkConfig> administrativelyDown();

    /** Actions that are all refused: for a tunnel run without a launcher. */
    ControlActions NONE = new ControlActions() {
        @Override
        public ActionResult reload() {
            return ActionResult.refused("no configuration file to reload");
        }

        @Override
        public ActionResult setAdministrativelyDown(String link, boolean down) {
            return ActionResult.refused("not supported here");
        }

        @Override
        public List<LinkConfig> administrativelyDown() {
            return List.of();
        }
    };
}
