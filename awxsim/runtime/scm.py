"""SCM project updates: ``git`` run for real into ``<projects root>/<local_path>``.

``start_update(update_id)`` returns at once (a background thread runs the update once the
creating transaction commits); ``run_update(update_id)`` runs it in the calling thread (a job
of a project with ``scm_update_on_launch`` waits for it that way). An update goes pending ->
running -> successful | failed | canceled, records git's output as its stdout in the shape of
AWX's ``project_update.yml`` run, and the revision checked out; the project follows
(``status``, ``scm_revision``, ``last_updated``).

Steps, as AWX's git task does them: ``scm_delete_on_update`` removes the checkout first; the
repository is initialised if needed and fetched (all branches and tags, the remote HEAD, and
``scm_refspec`` when set); the version (``scm_branch``, else the remote HEAD) is checked out
detached with ``--force``; ``scm_clean`` removes untracked files; submodules are updated
(``--remote`` with ``scm_track_submodules``). ``file://`` URLs and local paths work offline.
Git never prompts (``GIT_TERMINAL_PROMPT=0``, SSH in batch mode).
"""
import json
import logging
import os
import shutil
import subprocess
import threading
import time
import traceback

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from awxsim import config
from awxsim.models import Project, ProjectUpdate

LOG = logging.getLogger("awxsim.runtime.scm")

ACTIVE = ("new", "pending", "waiting", "running")
DEFAULT_TIMEOUT = 600           # seconds for one git command when the project sets none
# Like AWX's dispatcher, a started update is picked up a moment later: the answer that
# created it (project POST/PATCH, update/, copy/) is rendered while it is still pending.
DISPATCH_DELAY = 0.3
EVENTS_DELAY = 1.0
_PROCS = {}                     # update id -> the running git process
_CANCELED = set()
_LOCK = threading.Lock()
_THREADS = {}
_PROJECT_LOCKS = {}             # project id -> lock: one update of a project at a time
_STOPPING = threading.Event()
_GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "/bin/false", "SSH_ASKPASS": "/bin/false",
            "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new",
            "LC_ALL": "C"}
_STARS = 80


class GitFailed(Exception):
    def __init__(self, cmd, result, msg=None):
        super().__init__(msg or (result.stderr or result.stdout or "").strip())
        self.cmd, self.result, self.msg = cmd, result, msg


class Canceled(Exception):
    pass


def create_update(project, user=None, launch_type="manual"):
    """A pending update of the project (not started); the project shows it as current."""
    update = ProjectUpdate.objects.create(
        name=project.name, description=project.description, project=project,
        organization=project.organization, credential=project.credential,
        local_path=project.local_path, scm_type=project.scm_type, scm_url=project.scm_url,
        scm_branch=project.scm_branch, scm_refspec=project.scm_refspec,
        scm_clean=project.scm_clean, scm_track_submodules=project.scm_track_submodules,
        scm_delete_on_update=project.scm_delete_on_update, timeout=project.timeout,
        launch_type=launch_type, launched_by=user, created_by=user, modified_by=user)
    Project.objects.filter(pk=project.pk).update(status="pending")
    return update


def start_update(update_id):
    """Run the update in a background thread once the current transaction commits."""
    def _start():
        if _STOPPING.is_set():
            return
        thread = threading.Thread(target=_run_in_thread, args=(update_id,),
                                  name="awxsim-scm-%s" % update_id, daemon=True)
        with _LOCK:
            _THREADS[update_id] = thread
        thread.start()
    transaction.on_commit(_start)


def cancel_update(update_id):
    """Ask a running update to stop; True when a runner owns it."""
    with _LOCK:
        _CANCELED.add(update_id)
        proc = _PROCS.get(update_id)
        owned = update_id in _THREADS or proc is not None
    if proc is not None and proc.poll() is None:
        proc.kill()
    return owned


def stop_all():
    _STOPPING.set()
    with _LOCK:
        procs = list(_PROCS.values())
    for proc in procs:
        if proc.poll() is None:
            proc.kill()


def _run_in_thread(update_id):
    time.sleep(DISPATCH_DELAY)
    close_old_connections()
    try:
        run_update(update_id)
    finally:
        with _LOCK:
            _THREADS.pop(update_id, None)
        connection.close()


def _db():
    return config.DB_LOCK if config.STATE.get("memory") else _NoLock()


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _save(update_id, **fields):
    with _db():
        return ProjectUpdate.objects.filter(pk=update_id).update(modified=timezone.now(), **fields)


def _project_lock(project_id):
    with _LOCK:
        return _PROJECT_LOCKS.setdefault(project_id, threading.Lock())


def run_update(update_id):
    """Run one update to its end in this thread; returns its final status. Updates of one
    project run one after the other (they share its checkout), as AWX queues them."""
    with _db():
        update = ProjectUpdate.objects.select_related("project").filter(pk=update_id).first()
    if update is None:
        return None
    with _project_lock(update.project_id):
        return _run_update(update_id)


def _run_update(update_id):
    with _db():
        update = ProjectUpdate.objects.select_related("project").filter(pk=update_id).first()
    if update is None or update.status not in ("new", "pending", "waiting"):
        return update.status if update is not None else None
    started = timezone.now()
    _save(update_id, status="running", started=started, execution_node="awxsim",
          job_cwd=_checkout_dir(update))
    with _db():
        Project.objects.filter(pk=update.project_id).update(status="running")
    out = _Output()
    status, revision, explanation, trace = "successful", "", "", ""
    try:
        revision, changed = _update_checkout(update, out)
        out.task_result(changed, "Repository Version %s" % revision)
    except GitFailed as exc:
        status = "failed"
        out.failure(exc)
    except Canceled:
        status, explanation = "canceled", ""
    except Exception:  # noqa: BLE001 - an update must never stay 'running'
        LOG.exception("project update %s crashed", update_id)
        status, explanation = "error", "The local SCM runner failed; see result_traceback"
        trace = traceback.format_exc()
    finally:
        with _LOCK:
            _PROCS.pop(update_id, None)
            if update_id in _CANCELED:
                status = "canceled"
            _CANCELED.discard(update_id)
    now = timezone.now()
    fields = dict(status=status, failed=status != "successful", finished=now,
                  elapsed=round((now - started).total_seconds(), 3), job_explanation=explanation,
                  result_traceback=trace, stdout=out.text(status), event_processing_finished=False)
    if revision and status == "successful":
        fields["scm_revision"] = revision
    if status == "canceled":
        fields["canceled_on"] = now
    _save(update_id, **fields)
    project_fields = dict(status=status, last_updated=now, last_job_run=now)
    if revision and status == "successful":
        project_fields["scm_revision"] = revision
    with _db():
        Project.objects.filter(pk=update.project_id).update(**project_fields)
    _events_processed_later(update_id)
    return status


def _events_processed_later(update_id):
    """AWX reports a finished update with event_processing_finished false for a moment, while
    its callback receiver stores the last events; ours flips it EVENTS_DELAY seconds later."""
    def mark():
        close_old_connections()
        try:
            _save(update_id, event_processing_finished=True)
        finally:
            connection.close()
    timer = threading.Timer(EVENTS_DELAY, mark)
    timer.daemon = True
    timer.start()


def _checkout_dir(update):
    return os.path.join(config.projects_root(), update.local_path)


def _git(update, out, args, cwd, check=True):
    """Run one git command (killed on cancel or timeout); raise GitFailed on a failure."""
    cmd = ["git"] + args
    with _LOCK:
        if update.id in _CANCELED or _STOPPING.is_set():
            raise Canceled()
    env = dict(os.environ, **_GIT_ENV)
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with _LOCK:
        _PROCS[update.id] = proc
    timeout = update.timeout if update.timeout and update.timeout > 0 else DEFAULT_TIMEOUT
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        stderr = (stderr or "") + "\ngit timed out after %d seconds" % timeout
    finally:
        with _LOCK:
            _PROCS.pop(update.id, None)
    result = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    with _LOCK:
        if update.id in _CANCELED:
            raise Canceled()
    if check and result.returncode != 0:
        raise GitFailed(cmd, result)
    return result


def _update_checkout(update, out):
    """Fetch and check out the version; (revision, changed)."""
    target = _checkout_dir(update)
    out.play("Update source tree if necessary")
    out.task("Update project using git")
    if update.scm_delete_on_update and os.path.isdir(target):
        shutil.rmtree(target)
    before = ""
    if os.path.isdir(os.path.join(target, ".git")):
        before = _git(update, out, ["rev-parse", "--verify", "-q", "HEAD"], target,
                      check=False).stdout.strip()
    else:
        os.makedirs(target, exist_ok=True)
        _git(update, out, ["init", "-q"], target)
    url = update.scm_url
    refspecs = ["+refs/heads/*:refs/remotes/origin/*", "+HEAD:refs/remotes/origin/HEAD"]
    refspecs += [r for r in (update.scm_refspec or "").split() if r]
    _git(update, out, ["-c", "protocol.file.allow=always", "fetch", "--force", "--tags",
                       "--prune", url] + refspecs, target)
    version = update.scm_branch or ""
    sha = None
    candidates = (["refs/remotes/origin/%s" % version, "refs/tags/%s" % version, version]
                  if version else ["refs/remotes/origin/HEAD"])
    for candidate in candidates:
        found = _git(update, out, ["rev-parse", "--verify", "-q", candidate + "^{commit}"],
                     target, check=False)
        if found.returncode == 0 and found.stdout.strip():
            sha = found.stdout.strip()
            break
    if sha is None:
        failed = _git(update, out, ["checkout", "--force", version or "HEAD"], target, check=False)
        raise GitFailed(failed.args, failed, "Failed to checkout %s" % (version or "HEAD"))
    _git(update, out, ["checkout", "-q", "--force", "--detach", sha], target)
    if update.scm_clean:
        _git(update, out, ["clean", "-q", "-ffdx"], target)
    if os.path.isfile(os.path.join(target, ".gitmodules")):
        args = ["-c", "protocol.file.allow=always", "submodule", "update", "--init",
                "--recursive", "--force"]
        if update.scm_track_submodules:
            args.append("--remote")
        _git(update, out, args, target)
    return sha, sha != before


class _Output:
    """The update's stdout in the shape of AWX's ``project_update.yml`` run."""

    def __init__(self):
        self.lines = [""]
        self.ok = self.changed = 0

    @staticmethod
    def _banner(text):
        return text + " " + "*" * max(3, _STARS - len(text) - 1)

    def play(self, name):
        self.lines += [self._banner("PLAY [%s]" % name), ""]

    def task(self, name):
        self.lines.append(self._banner("TASK [%s]" % name))

    def task_result(self, changed, version_msg):
        self.lines += ["changed: [localhost]" if changed else "ok: [localhost]", ""]
        self.ok += 1
        self.changed += 1 if changed else 0
        self.task("Set the git repository version")
        self.lines += ["ok: [localhost]", ""]
        self.task("Repository Version")
        self.lines += ["ok: [localhost] => {", '    "msg": %s' % json.dumps(version_msg), "}", ""]
        self.ok += 2

    def failure(self, exc):
        stderr = exc.result.stderr or ""
        stdout = exc.result.stdout or ""
        detail = {"changed": False, "cmd": " ".join(exc.cmd), "msg": exc.msg or stderr.strip(),
                  "rc": exc.result.returncode, "stderr": stderr,
                  "stderr_lines": stderr.splitlines(), "stdout": stdout,
                  "stdout_lines": stdout.splitlines()}
        self.lines += ["fatal: [localhost]: FAILED! => %s" % json.dumps(detail), ""]
        self.failed = True

    def text(self, status):
        failed = 1 if status == "failed" else 0
        recap = ("localhost                  : ok=%d    changed=%d    unreachable=0    "
                 "failed=%d    skipped=0    rescued=0    ignored=0   " % (self.ok, self.changed, failed))
        return "\n".join(self.lines + [self._banner("PLAY RECAP"), recap, ""])


def wait_for_threads(timeout):
    deadline = time.monotonic() + timeout
    with _LOCK:
        threads = list(_THREADS.values())
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
