"""Job template surveys: spec validation, answer validation and password masking, with AWX's
messages (recorded in exchange 14)."""
from awxsim.api.protocol import bad_request

ENCRYPTED = "$encrypted$"
QUESTION_TYPES = ("text", "textarea", "password", "multiplechoice", "multiselect", "integer",
                  "float")
# What a question's default must be (bool is no integer here, as in JSON).
DEFAULT_TYPES = {"text": str, "textarea": str, "password": str, "multiplechoice": str,
                 "multiselect": str, "integer": int, "float": (float, int)}


def _error(message):
    return bad_request({"error": message})


def _choices(question):
    choices = question.get("choices")
    if isinstance(choices, str):
        return [c for c in choices.splitlines() if c.strip() != ""]
    return list(choices or [])


def _type_name(value):
    # AWX's parser hands the view an OrderedDict for a JSON object.
    return "OrderedDict" if isinstance(value, dict) else type(value).__name__


def validate_spec(spec, old_spec=None):
    """The spec to store, or a 400 with AWX's message. A password default sent back as
    ``$encrypted$`` keeps the stored one."""
    if not isinstance(spec, dict):
        raise _error("Survey spec must be an object, not %s." % _type_name(spec))
    for field in ("name", "description", "spec"):
        if field not in spec:
            raise _error("Field '%s' is missing from survey spec." % field)
    questions = spec["spec"]
    if not isinstance(questions, list):
        raise _error("Expected list of items for field 'spec', received %s type."
                     % _type_name(questions))
    if not questions:
        raise _error("'spec' doesn't contain any items.")
    old = {q.get("variable"): q for q in (old_spec or {}).get("spec", []) if isinstance(q, dict)}
    seen = set()
    stored = []
    for index, question in enumerate(questions):
        if not isinstance(question, dict):
            raise _error("Survey question %d is not a json object." % index)
        for field in ("type", "question_name", "variable", "required"):
            if field not in question:
                raise _error("'%s' missing from survey question %d" % (field, index))
            wanted, label = (bool, "boolean") if field == "required" else (str, "string")
            if not isinstance(question[field], wanted):
                raise _error("'%s' in survey question %d expected to be %s." % (field, index, label))
        if question["variable"] in seen:
            raise _error("'variable' '%s' duplicated in survey question %d."
                         % (question["variable"], index))
        seen.add(question["variable"])
        kind = question["type"]
        if kind not in QUESTION_TYPES:
            raise _error("'%s' in survey question %d is not one of '%s' allowed question types."
                         % (kind, index, ", ".join(QUESTION_TYPES)))
        default = question.get("default")
        if "default" in question and default != "" and default is not None:
            wanted = DEFAULT_TYPES[kind]
            if not isinstance(default, wanted) or isinstance(default, bool):
                label = kind if kind in ("integer", "float") else "string"
                raise _error("Default value %s in survey question %d expected to be %s."
                             % (default, index, label))
        if kind in ("multiplechoice", "multiselect"):
            choices = _choices(question)
            if not choices:
                raise _error("Survey question %d of type %s must specify choices." % (index, kind))
            if default not in ("", None):
                picked = default.split("\n") if kind == "multiselect" else [default]
                if any(p not in choices for p in picked if p != ""):
                    raise _error("Default choice must be answered from the choices listed.")
        question = dict(question)
        if isinstance(default, str) and default.startswith(ENCRYPTED):
            if kind != "password":
                raise _error("$encrypted$ is a reserved keyword for password question defaults, "
                             "survey question %d is type %s." % (index, kind))
            previous = old.get(question["variable"]) or {}
            question["default"] = previous.get("default", "") if previous.get("type") == "password" else ""
        stored.append(question)
    return dict(spec, spec=stored)


def render_spec(spec):
    """The spec as AWX answers it: a password question's default as ``$encrypted$``."""
    if not spec:
        return {}
    questions = []
    for question in spec.get("spec", []):
        if question.get("type") == "password" and question.get("default") not in ("", None):
            question = dict(question, default=ENCRYPTED)
        questions.append(question)
    return dict(spec, spec=questions)


def answer_errors(question, data):
    """AWX's messages for one question against the answers in ``data``."""
    name = question["variable"]
    kind = question.get("type", "text")
    if name not in data:
        return ["'%s' value missing" % name] if question.get("required") else []
    value = data[name]
    low, high = question.get("min"), question.get("max")
    errors = []
    if kind in ("text", "textarea", "password"):
        if not isinstance(value, str):
            return ["Value %s for '%s' expected to be a string." % (value, name)]
        if low not in ("", None) and len(value) < int(low):
            errors.append("'%s' value %s is too small (length is %d must be at least %s)."
                          % (name, value, len(value), low))
        if high not in ("", None) and len(value) > int(high):
            errors.append("'%s' value %s is too large (must be no more than %s)." % (name, value, high))
    elif kind in ("integer", "float"):
        if kind == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
            return ["Value %s for '%s' expected to be an integer." % (value, name)]
        if kind == "float" and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            return ["Value %s for '%s' expected to be a numeric type." % (value, name)]
        if low not in ("", None) and value < float(low):
            errors.append("'%s' value %s is too small (must be at least %s)." % (name, value, low))
        if high not in ("", None) and value > float(high):
            errors.append("'%s' value %s is too large (must be no more than %s)." % (name, value, high))
    elif kind == "multiselect":
        if not isinstance(value, list):
            return ["'%s' value is expected to be a list." % name]
        choices = _choices(question)
        errors += ["Value %s for '%s' expected to be one of %s." % (v, name, choices)
                   for v in value if v not in choices]
    elif kind == "multiplechoice":
        choices = _choices(question)
        if value not in choices:
            errors.append("Value %s for '%s' expected to be one of %s." % (value, name, choices))
    return errors


def answers(questions, given):
    """(variables for the job in AWX's order, errors, password variables): defaults that pass
    validation first, in survey order, then the answers given. A required question needs an
    answer unless it has a (valid) non-empty default."""
    chosen = {}
    for question in questions:
        default = question.get("default")
        if default is not None and not answer_errors(question, {question["variable"]: default}):
            chosen[question["variable"]] = default
    chosen.update(given)
    errors = []
    for question in questions:
        name = question["variable"]
        if name in given:
            errors += answer_errors(question, given)
        elif question.get("required"):
            if question.get("default") in (None, "") or name not in chosen:
                errors.append("'%s' value missing" % name)
    passwords = [q["variable"] for q in questions
                 if q.get("type") == "password" and q["variable"] in chosen]
    return chosen, errors, passwords
