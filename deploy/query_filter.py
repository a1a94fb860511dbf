#!/usr/bin/env python3
"""Query filter of the shared knowledge base: refuses federated SPARQL queries (SERVICE) before Oxigraph.

Oxigraph evaluates ``SERVICE <http://any.host/>`` by sending a request to that host, from the
server, for anybody who may query: a server-side request forgery through any credential.
``oxigraph serve`` has no switch to turn federation off and nginx cannot read SPARQL, so nginx
sends ``/query`` here and this filter passes a query on to Oxigraph only when its text, after
percent-, form- and SPARQL ``\\uXXXX``-decoding, holds no word ``SERVICE`` in any letter case
(a query that merely mentions the word in a string is refused too: controlmap's queries never do).

Everything else is refused: a method other than GET/HEAD/POST, a body that is not UTF-8, a
compressed or chunked body, an ``update`` parameter. Needs only Python 3.

  python3 deploy/query_filter.py --listen 127.0.0.1:7879 --upstream 127.0.0.1:7878
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import re
import sys
import urllib.parse

__all__ = ["main", "refusal"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile(r"service", re.IGNORECASE)
_FORWARD_HEADERS = ("Content-Type", "Accept", "Accept-Language", "User-Agent")
_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
                  "proxy-authenticate", "proxy-authorization"})
MAX_BODY = 16 * 1024 * 1024


def _unescape(text: str) -> str:
    """SPARQL applies ``\\u`` and ``\\U`` escapes before parsing, so ``\\u0053ERVICE`` is SERVICE."""
    def one(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else ""

    previous = None
    while previous != text:  # an escape may spell another escape
        previous, text = text, _ESCAPE.sub(one, text)
    return text


def refusal(method: str, target: str, content_type: str, body: bytes) -> tuple[int, str] | None:
    """``(status, reason)`` when the request must not reach Oxigraph, else None.

    >>> refusal("GET", "/query?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D", "", b"")
    >>> refusal("POST", "/query", "application/sparql-query", b"SELECT * { sErViCe <http://h/> { ?s ?p ?o } }")
    (403, 'federated queries (SERVICE) are not allowed on the shared knowledge base')
    >>> refusal("POST", "/query", "application/sparql-query", b"SELECT * { \\\\u0053ERVICE <http://h/> {} }")[0]
    403
    """
    parts = urllib.parse.urlsplit(target)
    if parts.path != "/query":
        return 404, "only /query passes this filter"
    if method not in ("GET", "HEAD", "POST"):
        return 405, "queries are sent with GET or POST"
    try:
        params = urllib.parse.parse_qsl(parts.query, keep_blank_values=True, errors="strict")
        texts = [v for _, v in params] + [k for k, _ in params]
        if method == "POST":
            kind = content_type.split(";", 1)[0].strip().lower()
            text = body.decode("utf-8")
            if kind == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qsl(text, keep_blank_values=True, errors="strict")
                params += form
                texts += [v for _, v in form] + [k for k, _ in form]
            elif kind == "application/sparql-query":
                texts.append(text)
            else:
                return 415, "a query is sent as application/sparql-query or a form"
    except UnicodeDecodeError:
        return 400, "the request is not UTF-8"
    if any(name == "update" for name, _ in params):
        return 403, "updates are not sent to /query"
    if any(_SERVICE.search(_unescape(t)) for t in texts):
        return 403, "federated queries (SERVICE) are not allowed on the shared knowledge base"
    return None


def handler(upstream: tuple[str, int], timeout: float) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "controlmap-query-filter"
        sys_version = ""

        def _refuse(self, status: int, reason: str) -> None:
            data = (reason + "\n").encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _handle(self) -> None:
            if self.headers.get("Transfer-Encoding") or self.headers.get("Content-Encoding"):
                return self._refuse(411, "send the query with a Content-Length and no Content-Encoding")
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                return self._refuse(400, "bad Content-Length")
            if not 0 <= length <= MAX_BODY:
                return self._refuse(413, "the query is too large")
            body = self.rfile.read(length) if length else b""
            refused = refusal(self.command, self.path, self.headers.get("Content-Type", ""), body)
            if refused:
                return self._refuse(*refused)
            headers = {h: self.headers[h] for h in _FORWARD_HEADERS if self.headers.get(h)}
            if self.command == "POST":
                headers["Content-Length"] = str(len(body))
            conn = http.client.HTTPConnection(*upstream, timeout=timeout)
            try:
                conn.request(self.command, self.path, body=body if self.command == "POST" else None, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except OSError:
                return self._refuse(502, "the SPARQL server did not answer")
            finally:
                conn.close()
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in _HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_HEAD = do_POST = _handle

        def _not_allowed(self) -> None:
            self._refuse(405, "queries are sent with GET or POST")

        do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

        def log_message(self, format: str, *args: object) -> None:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    return Handler


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--listen", default="127.0.0.1:7879", help="address:port nginx sends /query to")
    p.add_argument("--upstream", default="127.0.0.1:7878", help="address:port of oxigraph serve")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for Oxigraph")
    args = p.parse_args(argv)
    server = http.server.ThreadingHTTPServer(_address(args.listen), handler(_address(args.upstream), args.timeout))
    server.daemon_threads = True
    print(f"query filter on {args.listen} -> {args.upstream}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
