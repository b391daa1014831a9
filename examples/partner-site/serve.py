"""Serve the example partner page on its own origin, pointing its widgets at a hub.

    python examples/partner-site/serve.py --hub http://127.0.0.1:8000 --port 8100

The hub must allow this page's origin (http://127.0.0.1:8100): list it in a partner's
``embed_origins`` and sync, or start the hub with CONVENER_EMBED_ORIGINS=http://127.0.0.1:8100.
Standard library only, like the page a partner would really have.
"""

from __future__ import annotations

import argparse
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {"/": ("index.html", "text/html"), "/site.css": ("site.css", "text/css")}


class PartnerPage(BaseHTTPRequestHandler):
    """The page (with the hub's address filled in) and its stylesheet; nothing else."""

    def __init__(self, *args: object, hub: str, **kwargs: object) -> None:
        self.hub = hub.rstrip("/")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        name, media = FILES.get(self.path.split("?")[0], (None, None))
        if name is None:
            self.send_error(404)
            return
        body = (HERE / name).read_text(encoding="utf-8").replace("__CONVENER_HUB__", self.hub)
        data = body.encode()
        self.send_response(200)
        self.send_header("content-type", f"{media}; charset=utf-8")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def server(hub: str, port: int, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    return ThreadingHTTPServer((host, port), partial(PartnerPage, hub=hub))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub", default="http://127.0.0.1:8000")
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args()
    print(f"Partner page at http://127.0.0.1:{args.port}/ using the hub at {args.hub}")
    server(args.hub, args.port).serve_forever()
