# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Launching a job template: find it, check every prompt, resolve references, POST.

Split in two so check mode can stop in the middle: ``prepare_launch`` only reads
(template, launch info, survey, references) and raises ONE ``ResourceError``
listing every problem before anything is written; ``launch`` is the single POST.
Nothing here knows Ansible.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

try:
    import yaml
    HAS_YAML = True
except ImportError:  # pragma: no cover - PyYAML ships with ansible-core
    yaml = None
    HAS_YAML = False

from ansible_collections.gitops.awx.plugins.module_utils._errors import ResourceError
from ansible_collections.gitops.awx.plugins.module_utils._recovery import LaunchRecovery
from ansible_collections.gitops.awx.plugins.module_utils._references import (
    resolve_reference, resolve_reference_list,
)
from ansible_collections.gitops.awx.plugins.module_utils._spec import Reference, ReferenceList


class Prompt:
    """One launch-time prompt: the module option, the launch field, the template flag."""

    def __init__(self, option, field, ask, endpoint=None, many=False, join=False):
        self.option = option        # module option name
        self.field = field          # key in the POST body of job_templates/<id>/launch/
        self.ask = ask              # the template's ask_*_on_launch flag
        self.endpoint = endpoint    # set for references: resolved name -> id
        self.many = many            # a list of references
        self.join = join            # a list sent as one comma-separated string


PROMPTS = (
    Prompt("extra_vars", "extra_vars", "ask_variables_on_launch"),
    Prompt("inventory", "inventory", "ask_inventory_on_launch", endpoint="inventories/"),
    Prompt("limit", "limit", "ask_limit_on_launch"),
    Prompt("tags", "job_tags", "ask_tags_on_launch", join=True),
    Prompt("skip_tags", "skip_tags", "ask_skip_tags_on_launch", join=True),
    Prompt("job_type", "job_type", "ask_job_type_on_launch"),
    Prompt("credentials", "credentials", "ask_credential_on_launch",
           endpoint="credentials/", many=True),
    Prompt("labels", "labels", "ask_labels_on_launch", endpoint="labels/", many=True),
    Prompt("scm_branch", "scm_branch", "ask_scm_branch_on_launch"),
    Prompt("verbosity", "verbosity", "ask_verbosity_on_launch"),
    Prompt("diff_mode", "diff_mode", "ask_diff_mode_on_launch"),
    Prompt("forks", "forks", "ask_forks_on_launch"),
    Prompt("job_slice_count", "job_slice_count", "ask_job_slice_count_on_launch"),
    Prompt("job_timeout", "timeout", "ask_timeout_on_launch"),
    Prompt("execution_environment", "execution_environment",
           "ask_execution_environment_on_launch", endpoint="execution_environments/"),
    Prompt("instance_groups", "instance_groups", "ask_instance_groups_on_launch",
           endpoint="instance_groups/", many=True),
)
PROMPT_OPTIONS = tuple(p.option for p in PROMPTS)


# --------------------------------------------------------------------------- inputs

def parse_extra_vars(value):
    """``extra_vars`` as a dict, from a dict or a YAML/JSON string ('' and None are {})."""
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = _load_yaml(value)
        if parsed is None:
            return {}
        if isinstance(parsed, dict):
            return parsed
        value = parsed
    raise ResourceError("extra_vars must be a dictionary (or a YAML/JSON string of one), got %s"
                        % type(value).__name__)


def _load_yaml(value):
    if not HAS_YAML:
        raise ResourceError("extra_vars is not valid JSON, and PyYAML is not installed to read YAML")
    try:
        return yaml.safe_load(value)
    except yaml.YAMLError as exc:
        # Only the position: the text itself may hold secrets.
        mark = getattr(exc, "problem_mark", None)
        where = " (line %d, column %d)" % (mark.line + 1, mark.column + 1) if mark else ""
        raise ResourceError("extra_vars is neither valid JSON nor YAML%s" % where)


JOB_TEMPLATE = Reference("job_template", endpoint="job_templates/", resource="job template")


# --------------------------------------------------------------------------- lookups

def find_job_template(client, ref, organization=None):
    """The job template ``ref``: a name (within ``organization``), a named URL or an id."""
    return resolve_reference(client, JOB_TEMPLATE, ref, {"organization": organization})


def resolve_prompt_references(client, prompt, value):
    """``(value for the POST, problem or None)`` for a reference prompt.

    One request per kind: a list goes through one ``name__in=`` lookup.  A
    problem (unknown or ambiguous name) is returned, not raised, so that every
    problem of the launch can be reported at once.
    """
    resource = prompt.option.replace("_", " ").rstrip("s")
    try:
        if prompt.many:
            target = ReferenceList(prompt.option, endpoint=prompt.endpoint, resource=resource)
            return [obj_id for obj_id, _name in resolve_reference_list(client, target, value)], None
        target = Reference(prompt.option, endpoint=prompt.endpoint, resource=resource)
        return resolve_reference(client, target, value)["id"], None
    except ResourceError as error:
        return None, "%s: %s" % (prompt.option, error)


# --------------------------------------------------------------------------- checks

_TEXT_TYPES = ("text", "textarea", "password")
_TYPE_NAMES = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
               list: "a list", dict: "a dictionary", type(None): "null"}


def _survey_choices(question):
    choices = question.get("choices")
    if isinstance(choices, str):
        # AWX splits a string of choices at line ends and drops blank lines.
        choices = [c for c in choices.splitlines() if c.strip() != ""]
    return choices or None


def _bound(value, cast):
    """A question's ``min``/``max`` as AWX reads it (``int()``/``float()``); None
    when unset ("" or null) or unreadable (AWX would fail on it, not on the answer)."""
    if value is None or value == "":
        return None
    try:
        return cast(value)
    except (TypeError, ValueError):
        return None


def _range_problem(var, what, size, question, cast):
    low, high = _bound(question.get("min"), cast), _bound(question.get("max"), cast)
    if (low is None or size >= low) and (high is None or size <= high):
        return None
    if low is not None and high is not None:
        rule = "between %s and %s" % (low, high)
    else:
        rule = "at least %s" % low if low is not None else "at most %s" % high
    return "survey answer %s: %s must be %s" % (var, what, rule)


def _got(answer, secret=False):
    """How a wrong answer is shown: its value, or only its type for a password."""
    if secret:
        return _TYPE_NAMES.get(type(answer), type(answer).__name__)
    return repr(answer)


def _survey_answer_problem(question, var, answer):
    """What AWX's survey validation would say about one answer, or None.

    AWX checks JSON types strictly: an integer question takes a JSON integer
    (not "2", not true), a float question an integer or a float, a text or
    password question a string, a multiselect question a list.
    """
    kind = question.get("type")
    if kind in _TEXT_TYPES:
        if kind == "password" and answer == "$encrypted$":
            return None  # AWX keeps the saved default for its placeholder
        if not isinstance(answer, str):
            return "survey answer %s: expected a string, got %s" % (var, _got(answer, kind == "password"))
        return _range_problem(var, "length", len(answer), question, int)
    if kind == "integer":
        if isinstance(answer, bool) or not isinstance(answer, int):  # AWX: true is not an integer
            return "survey answer %s: expected an integer, got %s" % (var, _got(answer))
        return _range_problem(var, "value", answer, question, int)
    if kind == "float":
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            return "survey answer %s: expected a number (integer or float), got %s" % (var, _got(answer))
        return _range_problem(var, "value", answer, question, float)
    choices = _survey_choices(question)
    if kind == "multiplechoice" and choices and answer not in choices:
        return "survey answer %s=%r is not one of %s" % (var, answer, choices)
    if kind == "multiselect":
        if not isinstance(answer, list):
            return "survey answer %s: expected a list of choices, got %s" % (var, _got(answer))
        choices = choices or []
        bad = [a for a in answer if a not in choices]
        if bad:
            return "survey answer %s has %s, not among %s" % (var, bad, choices)
    return None


def _survey_problems(spec, answers):
    """Answers that AWX's survey would reject: type, choices, min/max; one per variable."""
    problems = []
    for question in (spec or {}).get("spec") or []:
        var = question.get("variable")
        if var in answers:
            problem = _survey_answer_problem(question, var, answers[var])
            if problem:
                problems.append(problem)
    return problems


def check_prompts(launch_info, prompts, survey_spec=None, credential_passwords=None):
    """Every reason the launch would be ignored or refused, as a list of strings.

    ``prompts`` maps option names to the values the user gave (``None`` = not given).
    Catches: a prompt whose ``ask_*_on_launch`` is off (AWX would silently drop
    it), extra_vars that are neither allowed nor survey questions, required survey
    answers missing, bad survey answers, a missing inventory or credential or password.
    """
    problems = []
    survey_on = bool(launch_info.get("survey_enabled"))
    survey_vars = set(q.get("variable") for q in (survey_spec or {}).get("spec") or [])
    extra_vars = prompts.get("extra_vars") or {}
    refused = []
    for prompt in PROMPTS:
        if prompts.get(prompt.option) is None or launch_info.get(prompt.ask, True):
            continue
        if prompt.option == "extra_vars":
            # Survey answers are accepted even when variables are not prompted for.
            names = sorted(k for k in extra_vars if not (survey_on and k in survey_vars))
            if names:
                refused.append("extra_vars (%s)" % ", ".join(names))
        else:
            refused.append(prompt.option)
    if refused:
        problems.append("the template does not prompt for %s (AWX would ignore %s; turn on "
                        "its ask_*_on_launch%s)" % (
                            ", ".join(refused), "them" if len(refused) > 1 else "it",
                            " or add survey questions" if survey_on else ""))
    if survey_on:
        missing = [v for v in launch_info.get("variables_needed_to_start") or []
                   if v not in extra_vars]
        if missing:
            problems.append("survey answer required but missing: %s" % ", ".join(missing))
        problems.extend(_survey_problems(survey_spec, extra_vars))
    if launch_info.get("inventory_needed_to_start") and prompts.get("inventory") is None:
        problems.append("inventory: the template has none, give one")
    if launch_info.get("credential_needed_to_start") and not prompts.get("credentials"):
        problems.append("credentials: the template needs a credential, give one")
    needed = launch_info.get("passwords_needed_to_start") or []
    missing_pw = [p for p in needed if p not in (credential_passwords or {})]
    if missing_pw:
        problems.append("credential_passwords missing: %s" % ", ".join(missing_pw))
    return problems


# --------------------------------------------------------------------------- launch

class LaunchPlan:
    """A checked launch: the template and the exact POST body (secrets kept apart)."""

    def __init__(self, template, launch_info, payload, credential_passwords=None,
                 survey_spec=None):
        self.template = template
        self.launch_info = launch_info
        self.payload = payload
        self.credential_passwords = credential_passwords
        self.secret_vars = set(q.get("variable") for q in (survey_spec or {}).get("spec") or []
                               if q.get("type") == "password")

    @property
    def template_id(self):
        return self.template["id"]

    def shown_prompts(self):
        """The POST body as it may be shown: survey passwords masked, no credential passwords."""
        shown = dict(self.payload)
        if "extra_vars" in shown:
            shown["extra_vars"] = dict(
                (k, "$encrypted$" if k in self.secret_vars else v)
                for k, v in shown["extra_vars"].items())
        return shown

    def body(self):
        body = dict(self.payload)
        if self.credential_passwords:
            body["credential_passwords"] = dict(self.credential_passwords)
        return body


def prepare_launch(client, template, prompts, organization=None, credential_passwords=None):
    """Read everything a launch needs and check it; raise one ``ResourceError`` listing
    every problem, or return a ``LaunchPlan``.  Sends no write request."""
    prompts = dict((k, v) for k, v in prompts.items() if v is not None)
    if "extra_vars" in prompts:
        prompts["extra_vars"] = parse_extra_vars(prompts["extra_vars"])
    jt = find_job_template(client, template, organization)
    info = client.get("job_templates/%s/launch/" % jt["id"])
    survey = None
    if info.get("survey_enabled") and prompts.get("extra_vars"):
        survey = client.get("job_templates/%s/survey_spec/" % jt["id"])
    problems = check_prompts(info, prompts, survey, credential_passwords)
    allowed = set(p.option for p in PROMPTS if info.get(p.ask, True)) | {"extra_vars"}
    payload = {}
    for prompt in PROMPTS:
        if prompt.option not in prompts or prompt.option not in allowed:
            continue
        value = prompts[prompt.option]
        if prompt.endpoint:
            value, problem = resolve_prompt_references(client, prompt, value)
            if problem:
                problems.append(problem)
        elif prompt.join and isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        payload[prompt.field] = value
    if problems:
        raise ResourceError("Cannot launch job template %r (id %s): %s"
                            % (jt.get("name"), jt["id"], "; ".join(problems)))
    return LaunchPlan(jt, info, payload, credential_passwords, survey)


def launch(client, plan):
    """POST the launch; return AWX's answer (the new job, with ``ignored_fields``).

    The launch follows the client's retry policy but is never repeated blindly:
    after an answer that may hide a started job, the client runs a
    ``LaunchRecovery`` that looks for the job this launch started and goes on
    with it (with a warning), re-sends only when there is none, and fails
    naming the candidates when there are several.
    """
    what = "job template %r (id %s)" % (plan.template.get("name"), plan.template_id)
    recovery = LaunchRecovery.for_template(client, "jobs/", {"job_template": plan.template_id},
                                           plan.template, what)
    return client.post("job_templates/%s/launch/" % plan.template_id, plan.body(), recover=recovery)
