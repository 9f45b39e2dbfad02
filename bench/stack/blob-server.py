import http.server, os, sys
root = sys.argv[2]
class H(http.server.SimpleHTTPRequestHandler):
    def __init__(s, *a, **k): super().__init__(*a, directory=root, **k)
    def do_PUT(s):
        n = int(s.headers.get('Content-Length', 0)); p = os.path.join(root, s.path.lstrip('/'))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'wb') as f: f.write(s.rfile.read(n))
        s.send_response(201); s.end_headers()
    def log_message(s, *a): pass
http.server.ThreadingHTTPServer((sys.argv[3], int(sys.argv[1])), H).serve_forever()
