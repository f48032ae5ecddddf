package io.mlvpn.launcher.control;

import java.nio.charset.StandardCharsets;

/**
 * One answer of the control endpoint: an HTTP status, a content type and a body. The unix socket
 * sends the body alone. Instances are immutable.
 *
 * @param status HTTP status
 * @param contentType the body's media type
 * @param body the body
 */
record Answer(int status, String contentType, String body) {
    static final String JSON = "application/json; charset=utf-8";

    static Answer json(String body) {
        return new Answer(200, JSON, body);
    }

    static Answer error(int status, String message) {
        return new Answer(status, JSON, StatusJson.error(message));
    }

    byte[] bytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
