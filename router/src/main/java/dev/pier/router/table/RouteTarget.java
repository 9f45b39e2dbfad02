package dev.pier.router.table;

/** What a domain points at: the app and its web service ({@code <app>-web}). */
public record RouteTarget(String app, String service) {
}
