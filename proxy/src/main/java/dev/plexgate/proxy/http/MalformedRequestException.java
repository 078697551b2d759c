package dev.plexgate.proxy.http;

/** A request the proxy refuses to forward, with the status the client gets for it. */
final class MalformedRequestException extends RuntimeException {

    private final int status;

    MalformedRequestException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
