# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deleting an object that AWX is still working on.

AWX refuses to delete an object while one of its jobs runs (409 with
``active_jobs``, exchange 13).  When those jobs are AWX's own (a project's SCM
update, an inventory source's import, started by the object's create or change)
the delete waits for them, bounded, and is sent once more; a user's job is not
ours to wait for, and its 409 stands.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._errors import Conflict
from ansible_collections.gitops.awx.plugins.module_utils._jobs import wait_for_job


# Jobs AWX runs by itself for an object (a project's SCM update, an inventory source's
# import): a DELETE refused while they run (409 ``active_jobs``) is retried once they end.
_SYSTEM_JOB_KINDS = {"project_update": "project_updates", "inventory_update": "inventory_updates"}
_SYSTEM_JOB_WAIT = 120


def _system_jobs(error):
    body = error.body if isinstance(error.body, dict) else {}
    jobs = [(_SYSTEM_JOB_KINDS.get(job.get("type")), job.get("id"))
            for job in body.get("active_jobs") or [] if isinstance(job, dict)]
    if not jobs or any(kind is None or job_id is None for kind, job_id in jobs):
        return []   # a user's job (or an unknown answer): not ours to wait for
    return jobs


def delete_when_idle(client, path):
    try:
        client.delete(path)
    except Conflict as error:
        jobs = _system_jobs(error)
        if not jobs:
            raise
        for kind, job_id in jobs:
            wait_for_job(client, kind, job_id, timeout=_SYSTEM_JOB_WAIT)
        client.delete(path)
