# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A job template's survey: AWX's validation, before any request, and its comparison.

The rules and messages are AWX's own (recorded from AWX 24.6.1, see exchange 14
in ``tests/awxsim/recordings/awx-api``): a survey AWX would refuse fails here, before
anything is sent, with AWX's words prefixed by ``survey_spec:``; a survey AWX
would accept passes unchanged (AWX stores it as sent, so it is compared as
data: a rerun is ``changed=0``).

AWX answers the default of a ``password`` question as ``$encrypted$``.  Such a
default counts as equal to any non-empty default the task gives (a changed
password default cannot be seen, as for any secret), and password defaults are
masked in before/after on both sides.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.gitops.awx.plugins.module_utils._errors import ConfigurationError
from ansible_collections.gitops.awx.plugins.module_utils._spec import ENCRYPTED, SECRET_MASK
from ansible_collections.gitops.awx.plugins.module_utils._subresources import SubResource

QUESTION_TYPES = ("text", "textarea", "password", "multiplechoice", "multiselect", "integer",
                  "float")
_CHOICE_TYPES = ("multiplechoice", "multiselect")
_NUMBER_TYPES = {"integer": "integer", "float": "float"}


def _problem(message):
    return ConfigurationError("survey_spec: %s" % message)


def _choices(question):
    choices = question.get("choices")
    if isinstance(choices, str):
        return [c for c in choices.split("\n") if c]
    return list(choices or [])


def _is_number(value, kind):
    if isinstance(value, bool):
        return False
    if kind == "integer":
        return isinstance(value, int)
    return isinstance(value, (int, float))


def _check_default(index, question):
    kind = question["type"]
    default = question.get("default")
    if default in (None, ""):
        return
    if kind in _NUMBER_TYPES and not _is_number(default, kind):
        raise _problem("Default value %s in survey question %d expected to be %s."
                       % (default, index, _NUMBER_TYPES[kind]))
    if kind == "multiplechoice" and default not in _choices(question):
        raise _problem("Default choice must be answered from the choices listed.")
    if kind == "multiselect":
        given = default.split("\n") if isinstance(default, str) else list(default)
        if any(value and value not in _choices(question) for value in given):
            raise _problem("Default choice must be answered from the choices listed.")


def _check_question(index, question, seen):
    if not isinstance(question, dict):
        raise _problem("Survey question %d is not a json object." % index)
    for key in ("type", "question_name", "variable", "required"):
        if key not in question:
            raise _problem("'%s' missing from survey question %d" % (key, index))
    if not isinstance(question["required"], bool):
        raise _problem("'required' in survey question %d expected to be boolean." % index)
    if question["type"] not in QUESTION_TYPES:
        raise _problem("'%s' in survey question %d is not one of '%s' allowed question types."
                       % (question["type"], index, ", ".join(QUESTION_TYPES)))
    if question["variable"] in seen:
        raise _problem("'variable' '%s' duplicated in survey question %d."
                       % (question["variable"], index))
    seen.add(question["variable"])
    if question["type"] in _CHOICE_TYPES and not _choices(question):
        raise _problem("Survey question %d of type %s must specify choices."
                       % (index, question["type"]))
    _check_default(index, question)


def validate_survey(survey):
    """Raise ``ConfigurationError`` with AWX's message for a survey AWX refuses.

    ``{}`` means "no survey" and is valid.
    """
    if not isinstance(survey, dict):
        raise _problem("expected a dict (name, description, spec), got %s" % type(survey).__name__)
    if not survey:
        return
    for key in ("name", "description", "spec"):
        if key not in survey:
            raise _problem("Field '%s' is missing from survey spec." % key)
    questions = survey["spec"]
    if not isinstance(questions, list):
        raise _problem("Expected list of items for field 'spec', received %s type."
                       % type(questions).__name__)
    if not questions:
        raise _problem("'spec' doesn't contain any items.")
    seen = set()
    for index, question in enumerate(questions):
        _check_question(index, question, seen)


def _password_questions(survey):
    return [q for q in (survey or {}).get("spec") or []
            if isinstance(q, dict) and q.get("type") == "password"]


def survey_secrets(params, option="survey_spec"):
    """The password defaults of the task's survey: values to mask in every output."""
    survey = params.get(option)
    if not isinstance(survey, dict):
        return []
    return [str(q["default"]) for q in _password_questions(survey)
            if q.get("default") not in (None, "", ENCRYPTED)]


def mask_survey(survey):
    """The survey with every password default masked (for before/after)."""
    shown = copy.deepcopy(survey or {})
    for question in _password_questions(shown):
        if question.get("default") not in (None, ""):
            question["default"] = SECRET_MASK
    return shown


def _comparable(desired, current):
    """``desired`` with each password default AWX holds (as ``$encrypted$``) taken as is."""
    held = dict((q.get("variable"), q.get("default")) for q in _password_questions(current))
    wanted = copy.deepcopy(desired)
    for question in _password_questions(wanted):
        default = question.get("default")
        if held.get(question.get("variable")) == ENCRYPTED and default not in (None, ""):
            question["default"] = ENCRYPTED
    return wanted


class SurveySpec(SubResource):
    """``survey_spec``: a job template's (or workflow's) survey, compared as data."""

    def __init__(self, name="survey_spec", sub_endpoint="survey_spec/", aliases=None):
        super(SurveySpec, self).__init__(name, sub_endpoint, type="dict", aliases=aliases)

    def normalise(self, value):
        if value is None:
            return None
        validate_survey(value)
        return copy.deepcopy(value)

    def from_answer(self, body):
        return body or {}

    def same(self, desired, current):
        return _comparable(desired, current) == (current or {})

    def view(self, value):
        return mask_survey(value)
