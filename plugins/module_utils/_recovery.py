# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What to re-read when a write's answer was lost, so a retry never repeats it.

The client retries a write that is not idempotent only with a recovery (see
``Client.request``): after an attempt that may have been applied it calls
``recover()``, which returns the object the write made (the write was applied:
stop) or None (it was not: send it again).  This file builds those recoveries
for the writes that are not re-finds by identity (the engine's creates re-find
with their own identity lookup):

- ``find_copy``: the copy of an object, by name in the source's organization;
- ``bulk_host_create_recovery``: the hosts a ``bulk/host_create`` request makes;
- ``LaunchRecovery``: the job a launch started (job templates today; workflow
  job templates and ad hoc commands take the same class with their own list
  endpoint and filters).

It also recognises AWX's "already exists" refusal, which turns a create into a
race to converge rather than a failure.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._errors import ResourceError, ValidationError

_CANDIDATES_SHOWN = 10
# A job AWX has not finished yet.
ACTIVE_STATES = ("new", "pending", "waiting", "running")
_NAMES_PER_REQUEST = 50


def already_exists(error, fields):
    """True when ``error`` is AWX's 400 for a create whose object now exists:
    ``{"name": ["Organization with this Name already exists."]}`` or
    ``{"__all__": ["Host with this Name and Inventory already exists."]}``.
    ``fields`` are the identity's API field names (other fields' errors are
    about the payload, not about a twin)."""
    if not isinstance(error, ValidationError):
        return False
    for key, messages in error.field_errors.items():
        if key != "__all__" and key not in fields:
            continue
        for text in messages if isinstance(messages, (list, tuple)) else [messages]:
            if "already exists" in str(text).lower():
                return True
    return False


def _ids(objects):
    shown = ", ".join(str(obj.get("id")) for obj in objects[:_CANDIDATES_SHOWN])
    return shown + (", ..." if len(objects) > _CANDIDATES_SHOWN else "")


def find_copy(client, endpoint, source, name, name_field="name"):
    """The copy of ``source`` named ``name``, or None when there is none yet.

    AWX puts a copy in the source's organization, so that is where it is looked
    for.  Several objects of that name there cannot be told apart: that fails,
    naming them, instead of picking one.
    """
    params = {name_field: name, "order_by": "-id", "page_size": _CANDIDATES_SHOWN}
    if source.get("organization") is not None:
        params["organization"] = source["organization"]
    page = client.get(endpoint, params)
    found = [obj for obj in page.get("results") or [] if obj.get("id") != source.get("id")]
    if not found:
        return None
    if len(found) > 1:
        raise ResourceError(
            "the answer to the copy of %r (id %s) was lost, and %d objects named %r now exist "
            "(ids %s): check in AWX which one the copy made" % (
                source.get(name_field), source.get("id"), len(found), name, _ids(found)))
    return found[0]


def bulk_host_create_recovery(client, inventory_id, names):
    """A recovery for ``POST bulk/host_create/ {"inventory": id, "hosts": [...]}``.

    AWX applies a bulk create in one transaction: all the hosts exist (it was
    applied: the recovery answers like AWX does, ``{"hosts": [...]}``) or none
    of ours do (None: send it again).  Some but not all means another run made
    them meanwhile: None as well, and the repeat's 400 ("Hostnames must be
    unique ... Duplicates found") names them for the caller's race handling.
    """
    wanted = list(names)

    def recover():
        found = {}
        for start in range(0, len(wanted), _NAMES_PER_REQUEST):
            batch = wanted[start:start + _NAMES_PER_REQUEST]
            for host in client.iter_objects("hosts/", {"inventory": inventory_id,
                                                       "name__in": ",".join(batch)}):
                found[host.get("name")] = host
        if all(name in found for name in wanted):
            return {"url": "inventories/%s/hosts/" % inventory_id,
                    "hosts": [found[name] for name in wanted]}
        return None

    return recover


class LaunchRecovery:
    """Finds the job a launch started when the launch's answer was lost.

    A launch is never re-sent blindly: the recovery lists the jobs of the
    template (``filters`` on ``jobs_endpoint``) created by the current user
    (``GET me/``, once) with an id above ``after_id``, the newest such job
    known before the launch (None: unknown, then only jobs still active count).  One such job is the one this launch started: it
    is returned, and ``client.warnings`` says so.  None: the launch was not
    applied and the client sends it again.  Several: another run with the same
    credentials launched too, and which job is ours cannot be known; that
    fails, naming them, and nothing is re-sent.
    """

    def __init__(self, client, jobs_endpoint, filters, after_id, what):
        self.client = client
        self.jobs_endpoint = jobs_endpoint
        self.filters = dict(filters)
        self.after_id = after_id
        self.what = what
        self._user = None

    @classmethod
    def for_template(cls, client, jobs_endpoint, filters, template, what):
        """The recovery for a launch of ``template`` (a job or workflow job template).

        AWX's template carries the ids of its recent jobs in ``summary_fields``
        (``recent_jobs``, newest first, pending ones included, and ``last_job``),
        so the high-water id costs no request.  A template without them (not
        AWX's answer) leaves only the jobs still active as candidates: a launch
        looked for seconds after it was sent has not finished.
        """
        summary = (template or {}).get("summary_fields") or {}
        if "recent_jobs" not in summary and "last_job" not in summary:
            return cls(client, jobs_endpoint, filters, None, what)
        known = [job.get("id") for job in summary.get("recent_jobs") or []]
        known.append((summary.get("last_job") or {}).get("id"))
        after_id = max([job_id for job_id in known if isinstance(job_id, int)] or [0])
        return cls(client, jobs_endpoint, filters, after_id, what)

    def _user_id(self):
        if self._user is None:
            me = self.client.get("me/")
            users = me.get("results") if isinstance(me, dict) and "results" in me else [me]
            if not users or not isinstance(users[0], dict) or users[0].get("id") is None:
                raise ResourceError("GET me/ did not name the current user")
            self._user = users[0]
        return self._user

    def __call__(self):
        user = self._user_id()
        params = dict(self.filters, created_by=user["id"], order_by="id", page_size=_CANDIDATES_SHOWN)
        if self.after_id is not None:
            params["id__gt"] = self.after_id
        else:
            params["status__in"] = ",".join(ACTIVE_STATES)
        page = self.client.get(self.jobs_endpoint, params)
        jobs = page.get("results") or []
        if not jobs:
            return None
        if len(jobs) > 1:
            raise ResourceError(
                "the answer to the launch of %s was lost, and %d jobs were started since by user "
                "%s (ids %s): another run with the same credentials launched it too, and which "
                "job is this task's cannot be known, so nothing was launched again; check them "
                "in AWX, wait for the one to keep with gitops.awx.job_wait and cancel any extra "
                "one with gitops.awx.job_cancel" % (
                    self.what, page.get("count") or len(jobs), user.get("username") or user["id"],
                    _ids(jobs)))
        job = jobs[0]
        self.client.warnings.append(
            "the answer to the launch of %s was lost; job %s, started by user %s since, is the "
            "one it started: this task goes on with it instead of launching again" % (
                self.what, job.get("id"), user.get("username") or user["id"]))
        return job
