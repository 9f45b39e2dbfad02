package dev.pier.api.http;

/** One Server-Sent Event as read off the wire; {@code id} and {@code event} may be null. */
public record ServerSentEvent(String id, String event, String data) {
}
