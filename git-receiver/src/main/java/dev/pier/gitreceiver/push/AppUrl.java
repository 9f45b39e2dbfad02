package dev.pier.gitreceiver.push;

/** The app's URL through the router, as printed at the end of a push. */
final class AppUrl {
    private AppUrl() {
    }

    static String of(String domain, int routerPort) {
        return "http://" + domain + (routerPort == 80 ? "" : ":" + routerPort) + "/";
    }
}
