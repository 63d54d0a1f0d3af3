"""A local feed server for the fetch benchmark: 127.0.0.1 only, a fixed delay per request.

``python -m benchmarks.feedserver --delay 0.2`` prints its port, then serves
``/feed/<slug>.xml``: an RSS feed of 20 posts with an ETag, and 304 Not
Modified when the request's If-None-Match is that ETag. It stops by itself
after ``--lifetime`` seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

POSTS = 20


def feed(slug: str) -> bytes:
    items = []
    for n in range(POSTS):
        day = 28 - (n % 27)
        items.append(
            f"<item><title>Post {n}</title><link>https://piaille.example/@{slug}/{n}</link>"
            f"<guid>https://piaille.example/@{slug}/{n}</guid>"
            f"<pubDate>Fri, {day:02d} Nov 2026 08:{n:02d}:00 +0000</pubDate>"
            f"<description>&lt;p&gt;Un message public n° {n} de {slug}, avec "
            f'&lt;a href="https://www.example.org/{n}"&gt;un lien&lt;/a&gt;.&lt;/p&gt;</description></item>'
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{slug}</title>'
        f"<link>https://piaille.example/@{slug}</link><description>posts</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    delay = 0.2
    protocol_version = "HTTP/1.1"
    # Headers and body in one segment, sent at once, as a production server does:
    # with Python's defaults (two unbuffered writes, Nagle's algorithm) each
    # response would wait ~40 ms for the client's delayed ACK.
    wbufsize = -1
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        time.sleep(self.delay)
        slug = self.path.rsplit("/", 1)[-1].removesuffix(".xml")
        body = feed(slug)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # The listen backlog, read when the socket starts listening (in the constructor):
    # with Python's default of 5, most of a hundred simultaneous connections would
    # wait for a SYN retransmission, a second later.
    request_queue_size = 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--lifetime", type=float, default=3600)
    args = parser.parse_args()
    Handler.delay = args.delay
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Timer(args.lifetime, server.shutdown).start()
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
