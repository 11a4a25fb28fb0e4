package dev.kedge.monitor.internal;

import java.nio.charset.StandardCharsets;

/** What the endpoint answers: status, content type, body; always {@code Connection: close}. */
record HttpResponse(int status, String contentType, String body) {

    static HttpResponse text(int status, String body) {
        return new HttpResponse(status, "text/plain; charset=utf-8", body);
    }

    byte[] bytes() {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + ' ' + reason(status) + "\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + content.length + (status == 405 ? "\r\nAllow: GET" : "")
                + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + content.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(content, 0, all, h.length, content.length);
        return all;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
