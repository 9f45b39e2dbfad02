# A real upstream HTTP server for the router's integration tests: HTTP/1.1 keep-alive on 127.0.0.1, any free
# port (printed on the first line of stdout), every GET answered "<name> <path>". Usage: upstream.py NAME
import http.server
import socketserver
import sys

NAME = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # buffered: the head and the body of an answer leave in one write (flushed after each request), as most servers
    # send a small answer. Unbuffered, the head went first, and a SIGKILL between the two writes cut an answer
    # the router had already begun to relay, which no proxy can retry (the kill tests are about the instance
    # dying between answers: refused and reset connections)
    wbufsize = -1

    def do_GET(self):
        body = (NAME + " " + self.path).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
