"""Real playbook runs for launched jobs, with ansible-runner (AWX's own runner library).

``start_job(job_id)`` returns at once; a background thread takes the job through
pending -> waiting -> running -> successful | failed | error | canceled, the way AWX's
dispatcher does, and records what AWX records: stdout, job events, per-host summaries,
artifacts (``set_stats``), start/finish times.  ``cancel_job(job_id)`` asks the run to
stop; ansible-runner's ``cancel_callback`` sees it within a fraction of a second.

Every host runs with ``ansible_connection: local`` and this Python, so no container
runtime, SSH or EE image is needed.  The project is ``<projects root>/<local_path>``.
"""
import contextlib
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback

import yaml
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from awxsim import config
from awxsim.models import ACTIVE_JOB_STATUSES, Host, Job, JobEvent, JobHostSummary

LOG = logging.getLogger("awxsim.runtime.playbooks")

# Jobs asked to stop, checked by ansible-runner many times a second (no DB query per check).
_CANCELED = set()
_CANCELED_LOCK = threading.Lock()
_THREADS = {}
# Set by stop_all(): the server is going away, no job starts any more.
_STOPPING = threading.Event()

# How often ansible-runner wakes up to check for cancel and the job timeout (seconds).
_RUNNER_POLL = 0.1
# Events and stdout are written in batches, at most this often (seconds), and at the end.
_FLUSH_EVERY = 0.3
# Every process of a job run carries this in its environment.  ansible-runner stops a
# cancelled or timed-out run by killing the process group of ansible-playbook, but
# Ansible's workers call setsid() and survive it (a worker in `pause` then waits forever
# for a parent that is gone); the marker finds and ends them.
_MARKER_ENV = "AWXSIM_JOB_MARKER"
_FAILED_EVENTS = ("runner_on_failed", "runner_on_unreachable", "runner_item_on_failed")
_SUMMARY_KEYS = ("ok", "changed", "failures", "dark", "skipped", "rescued", "ignored", "processed")


def start_job(job_id):
    """Run the job in a background thread once the launching transaction commits."""
    def _start():
        if _STOPPING.is_set():
            return
        thread = threading.Thread(target=_run_in_thread, args=(job_id,),
                                  name="awxsim-job-%s" % job_id, daemon=True)
        with _CANCELED_LOCK:
            _THREADS[job_id] = thread
        thread.start()
    transaction.on_commit(_start)


def cancel_job(job_id):
    """Ask a pending or running job to stop; it ends ``canceled`` (failed=True).

    Returns True when a runner thread owns the job and will end it, False when
    none does (the caller then marks a pending job canceled itself).
    """
    with _CANCELED_LOCK:
        _CANCELED.add(job_id)
        owned = job_id in _THREADS
    with _db():
        Job.objects.filter(id=job_id).update(cancel_flag=True)
    return owned


def stop_all():
    """Server shutdown: cancel every job of this process and end its processes at once.

    Returns how many processes were killed.  Jobs launched afterwards do not start.
    """
    _STOPPING.set()
    with _CANCELED_LOCK:
        _CANCELED.update(_THREADS)
    return _kill_marked("%d-" % os.getpid(), prefix=True)


def wait_all(timeout):
    """Shutdown: give the job threads up to ``timeout`` seconds in all to record how their
    jobs ended; True when every one of them did."""
    deadline = time.monotonic() + timeout
    with _CANCELED_LOCK:
        threads = list(_THREADS.values())
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return not any(thread.is_alive() for thread in threads)


def _marker(job_id):
    return "%d-%s" % (os.getpid(), job_id)


def _kill_marked(marker, prefix=False):
    """SIGKILL the processes whose environment carries ``marker`` (or one starting with it).

    Reads /proc (Linux); elsewhere there is nothing to scan and nothing is killed.
    """
    needle = ("%s=%s" % (_MARKER_ENV, marker)).encode()
    killed = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return killed
    for entry in entries:
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % entry, "rb") as handle:
                environ = handle.read().split(b"\0")
        except OSError:          # gone already, or not ours to read
            continue
        if any(item.startswith(needle) if prefix else item == needle for item in environ):
            try:
                os.kill(int(entry), signal.SIGKILL)
                killed += 1
            except OSError:
                pass
    return killed


def wait_for_thread(job_id, timeout=None):
    """Tests and shutdown: join the job's thread (True when it ended)."""
    with _CANCELED_LOCK:
        thread = _THREADS.get(job_id)
    if thread is None:
        return True
    thread.join(timeout)
    return not thread.is_alive()


def _is_canceled(job_id):
    if _STOPPING.is_set():
        return True
    with _CANCELED_LOCK:
        return job_id in _CANCELED


@contextlib.contextmanager
def _db():
    # The shared-cache in-memory SQLite answers "table is locked" instead of waiting,
    # so the server serialises database work with one lock; a file DB does not need it.
    if config.STATE.get("memory"):
        with config.DB_LOCK:
            yield
    else:
        yield


def _update(job_id, only_if_active=False, **fields):
    """Write some fields of the job; with ``only_if_active``, not over a final status
    (the cancel view may have ended a job that had not started).  True if written."""
    with _db():
        rows = Job.objects.filter(id=job_id)
        if only_if_active:
            rows = rows.filter(status__in=ACTIVE_JOB_STATUSES)
        return rows.update(modified=timezone.now(), **fields) > 0


def _run_in_thread(job_id):
    close_old_connections()
    try:
        _run(job_id)
    except Exception:  # noqa: BLE001 - a job thread must never leave its job 'running'
        LOG.exception("job %s crashed", job_id)
        _finish(job_id, "error", explanation="The local job runner failed; see result_traceback",
                traceback_text=traceback.format_exc())
    finally:
        with _CANCELED_LOCK:
            _CANCELED.discard(job_id)
            _THREADS.pop(job_id, None)
        connection.close()


def _finish(job_id, status, explanation="", traceback_text="", started=None, extra=None):
    now = timezone.now()
    with _db():
        job = Job.objects.filter(id=job_id).only("started").first()
    started = started or (job.started if job is not None else None) or now
    fields = dict(status=status, failed=status != "successful", finished=now,
                  elapsed=round((now - started).total_seconds(), 3),
                  job_explanation=explanation, event_processing_finished=True)
    if traceback_text:
        fields["result_traceback"] = traceback_text
    if status == "canceled":
        fields["canceled_on"] = now
    fields.update(extra or {})
    _update(job_id, **fields)


def _parse_vars(text):
    if isinstance(text, dict):
        return dict(text)
    if not text:
        return {}
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return value if isinstance(value, dict) else {}


def _inventory(job):
    """AWX's inventory for the job as a YAML-inventory document, every host run locally."""
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    hosts = {}
    for host in job.inventory.hosts.filter(enabled=True):
        host_vars = _parse_vars(host.variables)
        host_vars.update(local)
        hosts[host.name] = host_vars
    groups = {}
    for group in job.inventory.groups.prefetch_related("hosts", "children"):
        groups[group.name] = {
            "vars": _parse_vars(group.variables),
            "hosts": dict((h.name, None) for h in group.hosts.all() if h.name in hosts),
            "children": dict((c.name, None) for c in group.children.all()),
        }
    return {"all": {"vars": _parse_vars(job.inventory.variables), "hosts": hosts,
                    "children": groups}}


def _extra_vars(job):
    merged = _parse_vars(job.job_template.extra_vars) if job.job_template else {}
    merged.update(_parse_vars(job.extra_vars))
    return merged


class _Recorder:
    """Collects runner events; writes them (and stdout so far) to the DB in batches."""

    def __init__(self, job_id, host_ids):
        self.job_id = job_id
        self.host_ids = host_ids
        self.pending = []
        self.stdout = []
        self.stats = None
        self.last_flush = timezone.now()

    def handle(self, event):
        data = event.get("event_data") or {}
        kind = event.get("event", "")
        if event.get("stdout"):
            self.stdout.append(event["stdout"])
        if kind == "playbook_on_stats":
            self.stats = data
        res = data.get("res") if isinstance(data.get("res"), dict) else {}
        host_name = data.get("host") or ""
        self.pending.append(JobEvent(
            job_id=self.job_id, counter=event.get("counter") or 0, event=kind,
            event_data=data, uuid=event.get("uuid") or "",
            parent_uuid=event.get("parent_uuid") or data.get("parent_uuid") or "",
            host_id=self.host_ids.get(host_name), host_name=host_name,
            playbook=data.get("playbook") or "", play=data.get("play") or "",
            role=data.get("role") or "", task=data.get("task") or "",
            stdout=event.get("stdout") or "", start_line=event.get("start_line") or 0,
            end_line=event.get("end_line") or 0, verbosity=event.get("verbosity") or 0,
            failed=kind in _FAILED_EVENTS and not data.get("ignore_errors"),
            changed=bool(res.get("changed")),
        ))
        if (timezone.now() - self.last_flush).total_seconds() >= _FLUSH_EVERY:
            self.flush()
        return True

    def flush(self, final_stdout=None):
        events, self.pending = self.pending, []
        stdout = final_stdout if final_stdout is not None else "\n".join(self.stdout)
        with _db():
            if events:
                JobEvent.objects.bulk_create(events)
            Job.objects.filter(id=self.job_id).update(stdout=stdout)
        self.last_flush = timezone.now()

    def host_summaries(self):
        """JobHostSummary rows from the playbook_on_stats event (AWX's PLAY RECAP)."""
        stats = self.stats or {}
        names = set()
        for key in _SUMMARY_KEYS:
            names.update((stats.get(key) or {}).keys())
        rows = []
        for name in sorted(names):
            counts = dict((k, int((stats.get(k) or {}).get(name, 0))) for k in _SUMMARY_KEYS)
            rows.append(JobHostSummary(job_id=self.job_id, host_id=self.host_ids.get(name),
                                       host_name=name,
                                       failed=bool(counts["failures"] or counts["dark"]),
                                       **counts))
        return rows


def _update_project_first(job):
    """With ``scm_update_on_launch`` (and no update within ``scm_update_cache_timeout``
    seconds), update the project before the job runs, as AWX's dependency update; returns
    AWX's explanation when that update did not succeed."""
    from awxsim.runtime import scm
    project = job.project
    if project is None or not project.scm_type or not project.scm_update_on_launch:
        return None
    if project.scm_update_cache_timeout and project.last_updated and project.status == "successful" \
            and (timezone.now() - project.last_updated).total_seconds() < project.scm_update_cache_timeout:
        return None
    with _db():
        update = scm.create_update(project, user=job.launched_by, launch_type="dependency")
    status = scm.run_update(update.id)
    if status == "successful":
        return None
    return 'Previous Task Failed: {"job_type": "project_update", "job_name": %s, "job_id": "%d"}' % (
        json.dumps(project.name), update.id)


def _prepare(job):
    """The project directory, or an explanation of why the job cannot run."""
    root = config.projects_root()
    if job.project is None:
        return None, "Job has no project"
    if job.inventory is None:
        return None, "Job has no inventory"
    project_dir = os.path.join(root or "", job.project.local_path or "")
    if not job.project.local_path or not os.path.isdir(project_dir):
        return None, "Project path %r not found under the projects root" % job.project.local_path
    playbook = os.path.join(project_dir, job.playbook or "")
    if not job.playbook or not os.path.isfile(playbook):
        return None, "Playbook %r not found in project %r" % (job.playbook, job.project.name)
    return project_dir, None


def _run(job_id):
    with _db():
        job = (Job.objects.select_related("job_template", "project", "inventory")
               .filter(id=job_id).first())
    if job is None:
        return
    if job.status not in ("new", "pending", "waiting"):
        return
    if not _update(job_id, only_if_active=True, status="waiting"):
        return
    if _is_canceled(job_id) or job.cancel_flag:
        _finish(job_id, "canceled")
        return
    started = timezone.now()
    if not _update(job_id, only_if_active=True, status="running", started=started,
                   controller_node="awxsim", execution_node="awxsim"):
        return
    failed_update = _update_project_first(job)
    if failed_update:
        _finish(job_id, "failed", explanation=failed_update, started=started)
        return
    with _db():
        job.project.refresh_from_db()
        if job.project.scm_type:
            Job.objects.filter(pk=job_id).update(scm_revision=job.project.scm_revision)
        project_dir, problem = _prepare(job)
        inventory = _inventory(job) if problem is None else None
        host_ids = dict(Host.objects.filter(inventory_id=job.inventory_id)
                        .values_list("name", "id")) if problem is None else {}
        extra_vars = _extra_vars(job)
    if problem:
        _finish(job_id, "error", explanation=problem, started=started)
        return
    private = tempfile.mkdtemp(prefix="awxsim_%s_" % job_id)
    try:
        _execute(job, job_id, private, project_dir, inventory, host_ids, extra_vars, started)
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _execute(job, job_id, private, project_dir, inventory, host_ids, extra_vars, started):
    import ansible_runner  # heavy: imported only when a job really runs
    from ansible_runner.exceptions import AnsibleRunnerException

    os.makedirs(os.path.join(private, "inventory"))
    with open(os.path.join(private, "inventory", "hosts.yml"), "w") as handle:
        handle.write(json.dumps(inventory))
    cmdline = []
    if job.job_type == "check":
        cmdline.append("--check")
    if job.diff_mode:
        cmdline.append("--diff")
    envvars = {
        "ANSIBLE_NOCOLOR": "true", "ANSIBLE_FORCE_COLOR": "false",
        "ANSIBLE_LOCALHOST_WARNING": "false", "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_HOST_KEY_CHECKING": "false",
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        _MARKER_ENV: _marker(job_id),
    }
    recorder = _Recorder(job_id, host_ids)
    runner = ansible_runner.run(
        private_data_dir=private, project_dir=project_dir, playbook=job.playbook,
        inventory=os.path.join(private, "inventory", "hosts.yml"), extravars=extra_vars,
        limit=job.limit or None, tags=job.job_tags or None, skip_tags=job.skip_tags or None,
        verbosity=job.verbosity or None, forks=job.forks or None,
        timeout=job.timeout if job.timeout and job.timeout > 0 else None,
        cmdline=" ".join(cmdline) or None, envvars=envvars, quiet=True, ident=str(job_id),
        settings={"pexpect_timeout": _RUNNER_POLL, "suppress_ansible_output": True},
        event_handler=recorder.handle, cancel_callback=lambda: _is_canceled(job_id),
    )
    _kill_marked(_marker(job_id))   # a cancelled or timed-out run leaves Ansible's workers
    try:
        with runner.stdout as handle:
            final_stdout = handle.read()
    except (OSError, AnsibleRunnerException):
        final_stdout = None
    recorder.flush(final_stdout=final_stdout)
    with _db():
        JobHostSummary.objects.bulk_create(recorder.host_summaries())
    artifacts = (recorder.stats or {}).get("artifact_data") or {}
    status, explanation = runner.status, ""
    if status == "timeout":
        status, explanation = "failed", "Job terminated due to timeout"
    elif status not in ("successful", "failed", "canceled"):
        status, explanation = "error", "ansible-runner ended with status %r" % runner.status
    _finish(job_id, status, explanation=explanation, started=started,
            extra={"artifacts": artifacts})
