package io.mlvpn.launcher.control;

import java.util.Locale;

/**
 * The unix socket's line protocol: one command per connection, answered with JSON (or metrics
 * text) and the connection closed. Commands, case-insensitive, a leading {@code /} allowed:
 * {@code status}, {@code links}, {@code metrics}, {@code reload}, {@code link NAME down|up}.
 * Stateless apart from the server it asks.
 */
final class Commands {
    private final ControlServer server;

    Commands(ControlServer server) {
        this.server = server;
    }

    /** The answer to one command line (without its line end). */
    Answer answer(String line) {
        String[] words = line.strip().split("\\s+");
        String command = words[0].toLowerCase(Locale.ROOT);
        if (command.startsWith("/")) {
            command = command.substring(1);
        }
        switch (command) {
            case "status":
                return words.length == 1 ? Answer.json(StatusJson.status(server.view())) : usage();
            case "links":
                return words.length == 1 ? Answer.json(StatusJson.links(server.view())) : usage();
            case "metrics":
                return words.length == 1 ? new Answer(200, MetricsText.CONTENT_TYPE, MetricsText.write(server.view()))
                        : usage();
            case "reload":
                return words.length == 1 ? action(server.actions().reload()) : usage();
            case "link":
                if (words.length == 3) {
                    String op = words[2].toLowerCase(Locale.ROOT);
                    if (op.equals("down") || op.equals("up")) {
                        return action(server.actions().setAdministrativelyDown(words[1], op.equals("down")));
                    }
                }
                return usage();
            default:
                return usage();
        }
    }

    static Answer action(ActionResult r) {
        return new Answer(r.outcome().httpStatus(), Answer.JSON, StatusJson.action(r));
    }

    private static Answer usage() {
        return Answer.error(400, "unknown command; commands: status, links, metrics, reload, link NAME down|up");
    }
}
