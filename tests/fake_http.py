"""A throwaway HTTP server on 127.0.0.1 for the fakes of outside services in the tests."""

import threading
from http.server import ThreadingHTTPServer


def serve(handler):
    """(server, base url) of ``handler`` served on a free port, in a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def shutdown(server):
    server.shutdown()
    server.server_close()
