"""A threaded HTTP/1.1 (keep-alive) WSGI server with request counting and fault injection.

The stdlib ``wsgiref`` server answers HTTP/1.0 and closes every connection, which would make
clients pay a TCP handshake per request; this small server keeps connections open, and owns
the socket so that a fault can drop a connection without answering.
"""
import io
import json
import random
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from urllib.parse import unquote

from awxsim import AWX_VERSION


FAULT_KINDS = ("refused", "dropped", "lost_504", "lost_drop")
LOSE_AS = ("504", "drop")
RULE_KEYS = ("methods", "path_prefix", "path_regex", "refuse_rate", "refuse_statuses", "retry_after",
             "drop_rate", "lose_rate", "lose_as", "latency_ms")
FLAT_KEYS = ("error_rate", "statuses", "drop_rate", "latency_ms", "path_prefix", "methods",
             "retry_after")


def _rate(rule, key):
    value = float(rule.get(key) or 0)
    if not 0 <= value <= 1:
        raise ValueError("%s must be between 0 and 1, got %s" % (key, value))
    return value


def _rule(raw, legacy=False):
    """One normalised fault rule (raises ValueError on a bad one)."""
    if not isinstance(raw, dict):
        raise ValueError("a rule must be an object")
    unknown = sorted(set(raw) - set(FLAT_KEYS if legacy else RULE_KEYS))
    if unknown:
        raise ValueError("unknown key(s) %s" % ", ".join(unknown))
    if legacy:
        raw = {"methods": raw.get("methods"), "path_prefix": raw.get("path_prefix"),
               "refuse_rate": raw.get("error_rate"), "refuse_statuses": raw.get("statuses"),
               "drop_rate": raw.get("drop_rate"), "latency_ms": raw.get("latency_ms"),
               # the flat form always sent Retry-After: 1 with its refusals
               "retry_after": raw.get("retry_after", 1)}
    methods = raw.get("methods")
    if isinstance(methods, str):
        methods = [methods]
    regex = raw.get("path_regex")
    if regex is not None:
        try:
            re.compile(regex)
        except (re.error, TypeError) as exc:
            raise ValueError("path_regex: %s" % exc)
    lose_as = raw.get("lose_as") or list(LOSE_AS)
    if isinstance(lose_as, str):
        lose_as = [lose_as]
    lose_as = [str(kind) for kind in lose_as]
    bad = [kind for kind in lose_as if kind not in LOSE_AS]
    if bad:
        raise ValueError("lose_as takes %s, not %s" % (" and ".join(LOSE_AS), ", ".join(bad)))
    retry_after = raw.get("retry_after")
    rule = {
        "methods": [m.upper() for m in methods] if methods else None,
        "path_prefix": raw.get("path_prefix") or "/api/",
        "path_regex": regex,
        "refuse_rate": _rate(raw, "refuse_rate"),
        "refuse_statuses": [int(s) for s in (raw.get("refuse_statuses") or [502, 503])],
        "retry_after": None if retry_after is None else float(retry_after),
        "drop_rate": _rate(raw, "drop_rate"),
        "lose_rate": _rate(raw, "lose_rate"),
        "lose_as": lose_as,
        "latency_ms": float(raw.get("latency_ms") or 0),
    }
    if rule["refuse_rate"] + rule["drop_rate"] + rule["lose_rate"] > 1 + 1e-9:
        raise ValueError("refuse_rate + drop_rate + lose_rate must not exceed 1")
    if any(status < 100 or status > 599 for status in rule["refuse_statuses"]):
        raise ValueError("refuse_statuses must be HTTP status codes")
    return rule


def normalise_plan(plan):
    """The fault plan in its one normalised form ``{"seed": s, "rules": [...]}``.

    The old flat keys (``error_rate``, ``statuses``, ``drop_rate``, ...) form one rule."""
    if not isinstance(plan, dict):
        raise ValueError("the plan must be an object")
    rules = plan.get("rules")
    flat = {k: v for k, v in plan.items() if k not in ("seed", "rules")}
    if rules is not None and flat:
        raise ValueError("give either rules or the flat keys, not both (%s)" % ", ".join(sorted(flat)))
    if rules is None:
        rules = [_rule(flat, legacy=True)]
    elif not isinstance(rules, list):
        raise ValueError("rules must be a list")
    else:
        rules = [_rule(rule) for rule in rules]
    return {"seed": plan.get("seed"), "rules": rules}


class Fault:
    """What to do with one request: ``kind`` is None (serve it), refused, dropped or lost."""

    __slots__ = ("kind", "status", "latency", "retry_after")

    def __init__(self, kind=None, status=None, latency=0.0, retry_after=None):
        self.kind = kind
        self.status = status
        self.latency = latency
        self.retry_after = retry_after


NO_FAULT = Fault()


class SimState:
    """Request counters and the active fault plan, shared by all handler threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset_counts()
        self.faults = None
        self.rng = random.Random(0)

    def reset_counts(self):
        with self.lock:
            self.total = 0
            self.by_method = {}
            self.by_path = {}
            self.injected = dict.fromkeys(FAULT_KINDS, 0)
            self.injected_by_path = {}

    def count(self, method, path):
        key = "%s %s" % (method, path)
        with self.lock:
            self.total += 1
            self.by_method[method] = self.by_method.get(method, 0) + 1
            self.by_path[key] = self.by_path.get(key, 0) + 1

    def count_fault(self, method, path, kind):
        key = "%s %s" % (method, path)
        with self.lock:
            self.injected[kind] += 1
            per_path = self.injected_by_path.setdefault(key, dict.fromkeys(FAULT_KINDS, 0))
            per_path[kind] += 1

    def snapshot(self):
        with self.lock:
            return {"total": self.total, "by_method": dict(self.by_method),
                    "by_path": dict(self.by_path), "faults": self.faults,
                    "faults_injected": dict(self.injected),
                    "faults_by_path": {k: dict(v) for k, v in self.injected_by_path.items()}}

    def set_faults(self, plan):
        clean = normalise_plan(plan)
        if not isinstance(clean["seed"], (int, str, type(None))) or isinstance(clean["seed"], bool):
            raise ValueError("seed must be an integer, a string or null")
        rng = random.Random(clean["seed"])
        with self.lock:
            self.faults = clean
            self.rng = rng
        return clean

    def clear_faults(self):
        with self.lock:
            self.faults = None

    @staticmethod
    def _matches(rule, method, path):
        if rule["methods"] and method not in rule["methods"]:
            return False
        if not path.startswith(rule["path_prefix"]):
            return False
        return rule["path_regex"] is None or re.search(rule["path_regex"], path) is not None

    def decide(self, method, path):
        """The :class:`Fault` for this request: one seeded draw under the first matching rule."""
        if path.startswith("/_sim/"):
            return NO_FAULT
        with self.lock:
            plan = self.faults
            if not plan:
                return NO_FAULT
            rule = next((r for r in plan["rules"] if self._matches(r, method, path)), None)
            if rule is None:
                return NO_FAULT
            latency = rule["latency_ms"] / 1000.0
            roll = self.rng.random()
            edge = rule["refuse_rate"]
            if roll < edge:
                return Fault("refused", self.rng.choice(rule["refuse_statuses"]), latency,
                             rule["retry_after"])
            edge += rule["drop_rate"]
            if roll < edge:
                return Fault("dropped", None, latency)
            edge += rule["lose_rate"]
            if roll < edge:
                return Fault("lost_" + self.rng.choice(rule["lose_as"]), None, latency)
            return Fault(None, None, latency)


STATE = SimState()
FAULT_BODIES = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
                429: "Too Many Requests", 500: "Internal Server Error"}
# What a gateway (nginx in front of AWX) answers when the application behind it took too long:
# the request may well have been applied, the answer is lost.
GATEWAY_TIMEOUT = (b"<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n"
                   b"<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n"
                   b"</body>\r\n</html>\r\n")


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
        if self.server.test_hooks and path.startswith("/_sim/"):
            status, headers, data = sim_hooks(method, path, body)
            return self._send(status, headers, data)
        STATE.count(method, path)
        fault = STATE.decide(method, path)
        if fault.latency:
            time.sleep(fault.latency)
        if fault.kind == "dropped":
            STATE.count_fault(method, path, fault.kind)
            return self._drop()
        if fault.kind == "refused":
            STATE.count_fault(method, path, fault.kind)
            status, headers, data = _json(fault.status, {"detail": FAULT_BODIES.get(fault.status, "Error")})
            if fault.retry_after is not None:
                headers.append(("Retry-After", "%g" % fault.retry_after))
            headers.append(("X-API-Product-Name", "AWX"))
            return self._send(fault.status, headers, data)
        status, headers, data = self._call_app(method, raw_path, query, body)
        # Applied and committed: from here on a fault only loses the answer.
        if fault.kind == "lost_drop":
            STATE.count_fault(method, path, fault.kind)
            return self._drop()
        if fault.kind == "lost_504":
            STATE.count_fault(method, path, fault.kind)
            return self._send(504, [("Content-Type", "text/html"), ("Server", "nginx")],
                              b"" if method == "HEAD" else GATEWAY_TIMEOUT)
        dropped = ("content-length", "x-api-total-time")
        headers = [(k, v) for k, v in headers if k.lower() not in dropped]
        headers.append(("X-API-Total-Time", "%.3fs" % (time.monotonic() - started)))
        if method == "HEAD":
            headers.append(("Content-Length", str(len(data))))
            data = b""
        else:
            headers.append(("Content-Length", str(len(data))))
        return self._send(status, headers, data)

    def _drop(self):
        """Close the connection without a byte of answer (and serve nothing more on it)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

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

    def __init__(self, address, app, verbose=False, test_hooks=False):
        self.app = app
        self.verbose = verbose
        # /_sim/ (counters, fault plans) only when asked for: otherwise it is an unknown URL
        self.test_hooks = test_hooks
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
