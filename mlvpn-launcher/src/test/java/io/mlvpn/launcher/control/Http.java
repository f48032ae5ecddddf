package io.mlvpn.launcher.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw HTTP/1.1 client for tests: sends exactly what it is given, reads until the server closes. */
final class Http {
    final int status;
    final String headers;
    final String body;

    private Http(int status, String headers, String body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    static Http get(InetSocketAddress a, String path) throws IOException {
        return raw(a, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + a.getPort() + "\r\nConnection: close\r\n\r\n");
    }

    static Http post(InetSocketAddress a, String path, String authorization) throws IOException {
        return raw(a, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + a.getPort() + "\r\nConnection: close\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: 0\r\n\r\n");
    }

    static Http raw(InetSocketAddress a, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(a, 5_000);
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(s.getInputStream());
        }
    }

    static Http read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Http(-1, "", text);
        }
        return new Http(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
    }

    String header(String name) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
