"""A threaded HTTP/1.1 (keep-alive) WSGI server with request counting and fault injection.

The stdlib ``wsgiref`` server answers HTTP/1.0 and closes every connection, which would make
clients pay a TCP handshake per request; this small server keeps connections open, and owns
the socket so that a fault can drop a connection without answering.
"""
import io
import json
import random
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from urllib.parse import unquote

from awxsim import AWX_VERSION


class SimState:
    """Request counters and the active fault plan, shared by all handler threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset_counts()
        self.faults = None
        self.rng = random.Random(0)

    def reset_counts(self):
        self.total = 0
        self.by_method = {}
        self.by_path = {}

    def count(self, method, path):
        key = "%s %s" % (method, path)
        with self.lock:
            self.total += 1
            self.by_method[method] = self.by_method.get(method, 0) + 1
            self.by_path[key] = self.by_path.get(key, 0) + 1

    def snapshot(self):
        with self.lock:
            return {"total": self.total, "by_method": dict(self.by_method),
                    "by_path": dict(self.by_path), "faults": self.faults}

    def set_faults(self, plan):
        plan = dict(plan or {})
        statuses = plan.get("statuses") or [502, 503]
        methods = plan.get("methods")
        clean = {
            "error_rate": float(plan.get("error_rate") or 0),
            "statuses": [int(s) for s in statuses],
            "drop_rate": float(plan.get("drop_rate") or 0),
            "latency_ms": float(plan.get("latency_ms") or 0),
            "seed": plan.get("seed"),
            "path_prefix": plan.get("path_prefix") or "/api/",
            "methods": [m.upper() for m in methods] if methods else None,
        }
        with self.lock:
            self.faults = clean
            self.rng = random.Random(clean["seed"])
        return clean

    def clear_faults(self):
        with self.lock:
            self.faults = None

    def decide(self, method, path):
        """('drop' | status int | None, latency seconds) for this request."""
        with self.lock:
            plan = self.faults
            if not plan or not path.startswith(plan["path_prefix"]):
                return None, 0.0
            if plan["methods"] and method not in plan["methods"]:
                return None, 0.0
            latency = plan["latency_ms"] / 1000.0
            roll = self.rng.random()
            if roll < plan["drop_rate"]:
                return "drop", latency
            if roll < plan["drop_rate"] + plan["error_rate"]:
                return self.rng.choice(plan["statuses"]), latency
            return None, latency


STATE = SimState()
FAULT_BODIES = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
                429: "Too Many Requests", 500: "Internal Server Error"}


def _json(status, body, extra_headers=()):
    data = json.dumps(body).encode("utf-8")
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    headers.extend(extra_headers)
    return status, headers, data


def sim_hooks(method, path, body):
    """The ``/_sim/`` test hooks; returns (status, headers, body bytes)."""
    if path == "/_sim/requests/" and method == "GET":
        return _json(200, STATE.snapshot())
    if path == "/_sim/requests/reset/" and method == "POST":
        STATE.reset_counts()
        return _json(200, STATE.snapshot())
    if path == "/_sim/faults/":
        if method == "GET":
            return _json(200, {"faults": STATE.faults})
        if method in ("POST", "PUT"):
            try:
                plan = json.loads(body.decode("utf-8") or "{}")
                if not isinstance(plan, dict):
                    raise ValueError("not an object")
                return _json(200, {"faults": STATE.set_faults(plan)})
            except (ValueError, TypeError) as exc:
                return _json(400, {"detail": "Bad fault plan: %s" % exc})
        if method == "DELETE":
            STATE.clear_faults()
            return _json(204, None)[0:2] + (b"",)
    return _json(404, {"detail": "The requested resource could not be found."})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "awxsim"
    sys_version = ""

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0] or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self):
        started = time.monotonic()
        raw_path, _sep, query = self.path.partition("?")
        path = unquote(raw_path)
        body = self._read_body()
        method = self.command
        if path.startswith("/_sim/"):
            status, headers, data = sim_hooks(method, path, body)
            return self._send(status, headers, data)
        STATE.count(method, path)
        fault, latency = STATE.decide(method, path)
        if latency:
            time.sleep(latency)
        if fault == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return None
        if fault is not None:
            status, headers, data = _json(fault, {"detail": FAULT_BODIES.get(fault, "Error")})
            if fault in (429, 503):
                headers.append(("Retry-After", "1"))
            headers.append(("X-API-Product-Name", "AWX"))
            return self._send(fault, headers, data)
        status, headers, data = self._call_app(method, raw_path, query, body)
        dropped = ("content-length", "x-api-total-time")
        headers = [(k, v) for k, v in headers if k.lower() not in dropped]
        headers.append(("X-API-Total-Time", "%.3fs" % (time.monotonic() - started)))
        if method == "HEAD":
            headers.append(("Content-Length", str(len(data))))
            data = b""
        else:
            headers.append(("Content-Length", str(len(data))))
        return self._send(status, headers, data)

    def _call_app(self, method, raw_path, query, body):
        environ = {
            "REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": unquote(raw_path),
            "QUERY_STRING": query, "SERVER_NAME": self.server.server_name,
            "SERVER_PORT": str(self.server.server_port), "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": self.client_address[0], "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for key, value in self.headers.items():
            name = "HTTP_" + key.upper().replace("-", "_")
            if name not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[name] = value
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = list(headers)

        try:
            result = self.server.app(environ, start_response)
            try:
                data = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        # The last line of defence (Django already turns view errors into answers): whatever
        # escapes is answered as JSON 500 instead of a dropped connection.
        except Exception as exc:  # noqa: BLE001
            import traceback
            traceback.print_exc()
            return _json(500, {"detail": "A server error has occurred: %s" % type(exc).__name__})
        return captured["status"], captured["headers"], data

    def setup(self):
        super().setup()
        # Headers and body leave in one write and without Nagle's delay: otherwise a
        # keep-alive client waits ~40 ms (delayed ACK) on every request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _send(self, status, headers, data):
        self.send_response_only(status)
        for key, value in headers:
            self.send_header(key, value)
        if not any(k.lower() == "content-length" for k, _value in headers):
            self.send_header("Content-Length", str(len(data)))
        self._headers_buffer.append(b"\r\n")
        self.wfile.write(b"".join(self._headers_buffer) + (data or b""))
        self._headers_buffer = []
        self.wfile.flush()

    def handle_one_request(self):
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            self._handle()
        except (ConnectionError, socket.timeout):
            self.close_connection = True

    def finish(self):
        try:
            super().finish()
        finally:
            from django.db import connections
            connections.close_all()


class ThreadingServer(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, app, verbose=False):
        self.app = app
        self.verbose = verbose
        super().__init__(address, Handler)


def product_headers(app):
    """WSGI middleware adding AWX's product headers (no version on 401, as AWX does) and,
    like AWX, ``X-API-Query-Count``: the SQL queries the request cost (tests use it to
    prove list pages have no N+1)."""
    from django.db import connection

    def wrapped(environ, start_response):
        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        def start(status, headers, exc_info=None):
            headers = [h for h in headers if h[0].lower() not in ("x-api-product-name",
                                                                  "x-api-product-version")]
            headers.append(("X-API-Product-Name", "AWX"))
            if not status.startswith("401"):
                headers.append(("X-API-Product-Version", AWX_VERSION))
            headers.append(("X-API-Query-Count", str(queries[0])))
            return start_response(status, headers, exc_info)

        with connection.execute_wrapper(count):
            return list(app(environ, start))

    return wrapped
