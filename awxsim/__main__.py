"""``python -m awxsim``: start the local AWX-compatible API server."""
import argparse
import ipaddress
import signal
import sys

EXPOSED_WARNING = ("awxsim: WARNING: listening on %s, which is not a loopback address: awxsim is a test "
                   "server without production security (fixed secret key, no TLS, optional /_sim/ hooks "
                   "without authentication) and must not be exposed to a network")


def is_loopback(host):
    """True for 127.0.0.0/8, ::1 and ``localhost``; any other name or address is treated as exposed."""
    name = (host or "").strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def exposure_warning(host):
    """The one-line warning for a non-loopback --host, or None."""
    return None if is_loopback(host) else EXPOSED_WARNING % (host or "every address")


class _Stop(Exception):
    """Raised in the main thread by SIGTERM/SIGINT to leave serve_forever()."""


def _on_signal(signum, frame):
    # Cleanup must not be interrupted by a second signal.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise _Stop(signum)


def shutdown(server, grace=3.0):
    """End every running job (and its processes), let the job threads record it, close."""
    from awxsim import execution
    execution.stop_all()
    execution.wait_all(grace)
    server.server_close()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m awxsim",
                                     description="A local AWX-compatible API server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8013)
    parser.add_argument("--db", default=":memory:",
                        help="SQLite file path, :memory: (default) or postgres://user:pw@host/db")
    parser.add_argument("--projects-root", default=None,
                        help="directory holding manual projects (default ./projects)")
    parser.add_argument("--admin-username", default="admin")
    parser.add_argument("--admin-password", default="password")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    parser.add_argument("--test-hooks", action="store_true",
                        help="serve the /_sim/ test hooks (request counters, fault injection); "
                             "off by default, /_sim/ is then an unknown URL")
    args = parser.parse_args(argv)
    warning = exposure_warning(args.host)
    if warning:
        sys.stderr.write(warning + "\n")
        sys.stderr.flush()

    from awxsim.app import setup
    app = setup(db=args.db, projects_root=args.projects_root,
                admin_username=args.admin_username, admin_password=args.admin_password)
    from awxsim.server import ThreadingServer
    server = ThreadingServer((args.host, args.port), app, verbose=args.verbose,
                             test_hooks=args.test_hooks)
    sys.stderr.write("awxsim listening on http://%s:%d/%s\n" % (
        args.host, server.server_port, " (test hooks on /_sim/)" if args.test_hooks else ""))
    sys.stderr.flush()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        server.serve_forever(poll_interval=0.2)
    except (_Stop, KeyboardInterrupt):
        pass
    finally:
        shutdown(server)
    sys.stderr.write("awxsim stopped\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
