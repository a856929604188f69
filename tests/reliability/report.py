"""``python -m tests.reliability.report`` (``make reliability-report``): run the reliability
scenarios (the same code the tests run) and write their figures to docs/reliability.md."""
import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time

from tests.conftest import REPO_ROOT
from tests.reliability import badinputs, canaries, faults
from tests.reliability import sim as harness

DEFAULT_OUTPUT = os.path.join(REPO_ROOT, "docs", "reliability.md")


def _cell(value):
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def _verdict(problems):
    return "ok" if not problems else "FAILED: " + "; ".join(problems)[:400]


def _message(text, width=220):
    """A message for a table cell: a lookup's own words without Ansible's wrapper, cut to ``width``."""
    if "The lookup plugin" in text:
        text = "The lookup plugin" + text.split("The lookup plugin", 1)[1]
    return text if len(text) <= width else text[:width - 3] + "..."


FAULT_NAMES = (("refused", "refused (503)"), ("lost_504", "lost (504)"), ("lost_drop", "lost (drop)"),
               ("dropped", "dropped unprocessed"))


def _faults_row(figures, problems):
    injected = figures.get("faults_injected") or {}
    return [figures["module"], figures["objects"], injected.get("refused", "-"),
            injected.get("lost_504", "-"), injected.get("lost_drop", "-"), figures["writes_seen"],
            figures["writes_needed"], figures["retries"], len(figures["duplicates"]), len(figures["missing"]),
            "-" if figures.get("rerun_changed") is None else figures["rerun_changed"],
            figures["seconds"], _verdict(problems)]


def collect(workdir, log):
    """Run every scenario; the sections of the report (markdown strings)."""
    sections = []
    server = harness.start_sim(os.path.join(workdir, "sim"))
    try:
        token = server.use_token(server.new_token())
        rows, total_faults = [], {}
        for name, scenario in faults.MATRIX:
            log("fault matrix: %s" % name)
            figures = scenario(server, workdir, token)
            rows.append(_faults_row(figures, faults.matrix_problems(figures)))
            if "then" in figures:
                then = dict(figures["then"], module="host (update + delete)")
                rows.append(_faults_row(then, faults.matrix_problems(then)))
            for phase in (figures, figures.get("then") or {}):
                for kind, n in (phase.get("faults_injected") or {}).items():
                    total_faults[kind] = total_faults.get(kind, 0) + n
        sections.append(("Fault matrix", (
            "Every write (POST, PUT, PATCH, DELETE under `/api/v2/`) meets the seeded plan (seed %d): "
            "15 %% refused before processing (503), 20 %% processed and committed and then the answer "
            "lost (half 504, half a closed connection). Connection options: `%s` (module_defaults for "
            "`group/gitops.awx.awx`), token auth. One playbook with a `loop` per module, then the same "
            "playbook again with the faults still on. `writes needed` is one write per changed object "
            "(two for job_template: the template and its survey), what a fault-free run sends; `retries` is "
            "writes seen by the server minus that. credential_input_source fills the password of one Machine "
            "credential per object from one HashiCorp Vault lookup credential (AWX takes one source per "
            "target input). project_update is not in the matrix: its POST starts an update and, like a "
            "launch, is never repeated blindly, but unlike job_launch it has no recovery of a lost answer "
            "yet, so under these faults it fails clearly instead of converging. "
            "job_launch and job_cancel use %d objects: each launch is a real ansible-runner job on the "
            "server; a launch always starts a new job, so it has no rerun (duplicates are counted by "
            "the jobs on the server).\n\n" % (faults.SEED, faults.RETRYING, faults.JOB_COUNT)) + _table(
                ["module", "objects", "refused", "lost (504)", "lost (drop)", "writes seen", "writes needed",
                 "retries", "duplicates", "missing", "rerun changed", "seconds", "verdict"], rows)
            + "\n\nThe seed restarts with each module's plan, so modules with the same number of writes meet "
            "the same sequence of faults. Faults injected in total: %s." % (
                ", ".join("%s %d" % (label, total_faults.get(key, 0)) for key, label in FAULT_NAMES
                          if key in total_faults) or "none")))

        log("races")
        race = faults.races(server, workdir, token)
        sections.append(("Races", (
            "%d `ansible-playbook` processes started at once (two with a token, two with a password), each "
            "declaring the same organization and inventory and %d hosts, overlapping (%d hosts in all). "
            "Then one rerun of the union.\n\n" % (race["runs"], faults.RACE_HOSTS, race["hosts"])) + _table(
                ["runs", "exit codes", "organizations", "inventories", "duplicate hosts", "missing hosts",
                 "task failures", "final rerun changed", "seconds", "verdict"],
                [[race["runs"], race["rcs"], race["organizations"], race["inventories"], len(race["duplicates"]),
                  len(race["missing"]), len(race["failures"]), race["final_changed"], race["seconds"],
                  _verdict(faults.race_problems(race))]])
            + ("\n\nFailure messages: %s" % "; ".join(sorted(set(race["failures"])))[:800]
               if race["failures"] else "")))

        log("bad inputs")
        world = badinputs.build_world(server, workdir)
        try:
            verdicts = badinputs.run_cases(server, workdir, token, world)
        finally:
            for fake in world["servers"]:
                fake.shutdown()
        passed = sum(1 for v in verdicts if v["passed"])
        sections.append(("Bad inputs", (
            "%d bad inputs tried, %d passed: one line naming the option or object, no `Traceback` or "
            "`MODULE FAILURE`, and no write request reached the server (its counters read just before and after each "
            "case).\n\n" % (len(verdicts), passed)) + _table(
                ["case", "target", "message", "writes", "verdict"],
                [[v["id"], v["target"], _message(v["msg"]), sum(v["writes"].values()) if v["writes"] else 0,
                  _verdict(v["problems"])] for v in verdicts])))
    finally:
        server.stop()

    log("restart")
    restarted = faults.restart(workdir)
    sections.append(("Server restart in the middle of an apply", (
        "Our own awxsim on a SQLite file, token auth, connection options `%s`: killed (SIGKILL) once it "
        "has seen %d host creates, started again on the same port and database after a %.0f s pause; the "
        "downtime column runs until it answered again.\n\n"
        % (faults.RESTART_RETRYING, faults.RESTART_AFTER, faults.DOWNTIME))
        + _table(["hosts", "killed after creates", "downtime (s)", "exit code", "duplicates", "missing",
                  "rerun changed", "seconds", "verdict"],
                 [[restarted["hosts"], restarted["killed_after_creates"], restarted["downtime"], restarted["rc"],
                   len(restarted["duplicates"]), len(restarted["missing"]), restarted["rerun_changed"],
                   restarted["seconds"], _verdict(faults.restart_problems(restarted))]])))

    log("canary secrets")
    world = canaries.SecretWorld(workdir)
    try:
        started = time.monotonic()
        world.run_all()
        seconds = time.monotonic() - started
        rows = []
        leaks = 0
        for secret, key, runs, what in canaries.SECRET_ROWS:
            found, searched = canaries.search(world, key, runs)
            leaks += len(found)
            rows.append([secret, what, ", ".join(runs), searched, len(found), "ok" if not found else found[:3]])
        setup = canaries.world_problems(world)
    finally:
        world.stop()
    sections.append(("Canary secrets", (
        "Each secret is a unique canary string; every output of the runs named is searched: stdout at "
        "`-vvvv` with `--diff`, every event, every file ansible-runner wrote under `artifacts/`, and for "
        "the inventory plugin its stdout/stderr at `-vvvv` and its cache files. Each playbook run also "
        "fails on purpose (unknown reference, wrong type, bad lookup endpoint) so error messages are "
        "searched too. %d session tokens were created by the client from the password and recorded by a "
        "proxy. %d leaks found; %.0f s.\n\n" % (len(world.canaries["session_tokens"]), leaks, seconds))
        + _table(["secret", "handled by", "runs", "outputs searched", "found", "verdict"], rows)
        + ("\n\nSetup problems: %s" % "; ".join(setup) if setup else "")))
    return sections


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.report", description=__doc__)
    parser.add_argument("--output", default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    started = time.monotonic()
    load_at_start = os.getloadavg()[0]

    def log(text):
        sys.stderr.write("[%5.0f s] %s\n" % (time.monotonic() - started, text))
        sys.stderr.flush()

    with tempfile.TemporaryDirectory(prefix="reliability-") as workdir:
        sections = collect(workdir, log)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                            text=True, check=False).stdout.strip()
    text = ["# Reliability", "",
            "Written by `make reliability-report` (`python -m tests.reliability.report`), which runs the "
            "scenarios of `tests/reliability/` (the same code the tests assert on) against a local awxsim "
            "started with `--test-hooks`. Do not edit by hand.", "",
            "The tests (`make reliability`, or `pytest tests/reliability`; also part of `make test`) assert "
            "what the verdict columns below say: every scenario converges, nothing is duplicated or lost, "
            "the rerun reports `changed=0`, no canary secret appears in any output, and every bad input "
            "ends in one line naming the option or object before any write request. Faults are seeded, "
            "so a failure reproduces. Sizes: `RELIABILITY_COUNT` (objects per resource module, default "
            "100), `RELIABILITY_JOB_COUNT` (launches and cancels, default 10), `RELIABILITY_RACE_HOSTS`, "
            "`RELIABILITY_RESTART_HOSTS`.", "",
            "Generated %s on commit `%s`, Python %s, %d CPUs (load average %.1f when it started, %.1f at "
            "the end: wall times grow with it), in %.0f s." % (
                datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), commit or "?",
                platform.python_version(), os.cpu_count() or 0, load_at_start, os.getloadavg()[0],
                time.monotonic() - started), ""]
    for title, body in sections:
        text.extend(["## " + title, "", body, ""])
    with open(args.output, "w") as handle:
        handle.write("\n".join(text))
    log("wrote %s" % args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
