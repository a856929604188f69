"""The survey rules, comparison and masking (pure, no request)."""
import pytest

from ansible_collections.gitops.awx.plugins.module_utils._errors import ConfigurationError
from ansible_collections.gitops.awx.plugins.module_utils._survey import (
    SurveySpec,
    mask_survey,
    survey_secrets,
    validate_survey,
)


def _survey(*questions):
    return {"name": "s", "description": "", "spec": list(questions)}


def _q(**fields):
    question = {"question_name": "q", "variable": "v", "type": "text", "required": False}
    question.update(fields)
    return question


@pytest.mark.parametrize("survey", [
    {},
    _survey(_q(default="toolong", max=3)),                         # AWX accepts it
    _survey(_q(variable="rec a-b")),                                # AWX accepts it
    _survey(_q(type="multiselect", choices="a\nb\nc", default="a\nc")),
    _survey(_q(type="multiselect", choices=["a", "b"], default=["b"])),
    _survey(_q(type="float", default=1)),
    _survey(_q(type="integer", default=3, min=1, max=5)),
    _survey(_q(type="password", default="$encrypted$")),
])
def test_surveys_awx_accepts_pass(survey):
    validate_survey(survey)


@pytest.mark.parametrize("survey, message", [
    ("text", "expected a dict"),
    ({"name": "s", "spec": [_q()]}, "Field 'description' is missing from survey spec."),
    (_survey(_q(type="multiselect", choices=["a"], default="a\nz")),
     "Default choice must be answered from the choices listed."),
    (_survey(_q(type="integer", default=True)),
     "Default value True in survey question 0 expected to be integer."),
    (_survey(_q(type="float", default="x")),
     "Default value x in survey question 0 expected to be float."),
    (_survey(_q(type="multiselect")), "Survey question 0 of type multiselect must specify choices."),
])
def test_surveys_awx_refuses_fail(survey, message):
    with pytest.raises(ConfigurationError) as error:
        validate_survey(survey)
    assert message in str(error.value)


def test_password_default_held_by_awx_is_equal_and_masked():
    field = SurveySpec()
    desired = _survey(_q(type="password", default="s3cret"), _q(variable="w", default="x"))
    held = _survey(_q(type="password", default="$encrypted$"), _q(variable="w", default="x"))
    assert field.same(desired, held)
    assert not field.same(_survey(_q(type="password", default="s3cret"), _q(variable="w")), held)
    assert mask_survey(desired)["spec"][0]["default"] == "********"
    assert mask_survey(held)["spec"][0]["default"] == "********"
    assert desired["spec"][0]["default"] == "s3cret"   # the task's own value is not touched


def test_a_password_default_awx_does_not_hold_is_a_change():
    field = SurveySpec()
    assert not field.same(_survey(_q(type="password", default="s3cret")),
                          _survey(_q(type="password", default="")))


def test_survey_secrets():
    params = {"survey_spec": _survey(_q(type="password", default="s3cret"),
                                     _q(variable="w", type="password", default="$encrypted$"),
                                     _q(variable="x", default="plain"))}
    assert survey_secrets(params) == ["s3cret"]
    assert survey_secrets({"survey_spec": None}) == []
    assert survey_secrets({"survey_spec": {"spec": "not a list"}}) == []
