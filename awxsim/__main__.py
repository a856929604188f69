"""``python -m awxsim``: start the local AWX-compatible API server."""
import argparse
import signal
import sys


class _Stop(Exception):
    """Raised in the main thread by SIGTERM/SIGINT to leave serve_forever()."""


def _on_signal(signum, frame):
    # Cleanup must not be interrupted by a second signal.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise _Stop(signum)


def shutdown(server, grace=3.0):
    """End every running job and project update (and their processes), let the threads record
    it, close."""
    from awxsim.runtime import playbooks as execution, scm
    scm.stop_all()
    execution.stop_all()
    execution.wait_all(grace)
    scm.wait_for_threads(grace)
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
    parser.add_argument("--no-demo-data", dest="demo_data", action="store_false",
                        help="do not create AWX's demo objects (Demo Project, Demo Credential, "
                             "Demo Inventory, Demo Job Template) at the first start")
    args = parser.parse_args(argv)

    from awxsim.app import setup
    app = setup(db=args.db, projects_root=args.projects_root,
                admin_username=args.admin_username, admin_password=args.admin_password,
                demo_data=args.demo_data)
    from awxsim.server import ThreadingServer
    server = ThreadingServer((args.host, args.port), app, verbose=args.verbose)
    sys.stderr.write("awxsim listening on http://%s:%d/\n" % (args.host, server.server_port))
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
