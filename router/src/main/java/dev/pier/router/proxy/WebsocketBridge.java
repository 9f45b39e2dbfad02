package dev.pier.router.proxy;

import dev.pier.router.table.Backend;
import dev.pier.router.table.Destination;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.Locale;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

/** WebSocket pass-through: accepts the upgrade, opens one to the instance, and relays frames both ways. */
final class WebsocketBridge {
    private final Supplier<HttpClient> client;

    WebsocketBridge(Supplier<HttpClient> client) {
        this.client = client;
    }

    Mono<Void> bridge(HttpServerRequest req, HttpServerResponse res, Destination d, HttpHeaders headers) {
        Backend backend = d.backends().get(0);
        String protocols = req.requestHeaders().get("Sec-WebSocket-Protocol");
        HttpHeaders upstream = headers.copy();
        for (String name : java.util.List.copyOf(upstream.names())) {
            if (name.toLowerCase(Locale.ROOT).startsWith("sec-websocket-")) {
                upstream.remove(name);
            }
        }
        WebsocketServerSpec.Builder serverSpec = WebsocketServerSpec.builder().handlePing(false)
                .maxFramePayloadLength(1 << 20);
        WebsocketClientSpec.Builder clientSpec = WebsocketClientSpec.builder().handlePing(false)
                .maxFramePayloadLength(1 << 20);
        if (protocols != null) {
            serverSpec.protocols(protocols);
            clientSpec.protocols(protocols);
        }
        HttpClient upstreamClient = client.get();
        return res.sendWebsocket((in, out) -> upstreamClient.headers(h -> h.set(upstream))
                .websocket(clientSpec.build())
                .uri("ws://" + backend.address() + req.uri())
                .handle((upIn, upOut) -> Mono.firstWithSignal(
                        upOut.sendObject(in.receiveFrames().map(WebSocketFrame::retain)).then(),
                        out.sendObject(upIn.receiveFrames().map(WebSocketFrame::retain)).then()))
                .then(), serverSpec.build());
    }
}
