package dev.pier.api.router;

/**
 * One router's answer about a service: what it routes ({@code view}), or why it could not be asked
 * ({@code error}). {@code GET /apps/{app}/routing} on the controller lists one per router.
 */
public record RouterAnswer(String router, RoutedService view, String error) {
    public static RouterAnswer of(RoutedService view) {
        return new RouterAnswer(view.router(), view, null);
    }

    public static RouterAnswer failed(String router, String error) {
        return new RouterAnswer(router, null, error);
    }
}
