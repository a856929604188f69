# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options, defined once.

``CONNECTION_ARGUMENT_SPEC`` is the argument_spec chunk every module merges in
(environment fallbacks included); plugins declare the same options in the
PLUGINS doc fragment with ``env:`` and ``vars:`` and hand their values over as
a dict.  Both roads end in ``settings_from_options``, which validates once and
returns a ``ConnectionSettings``.  Nothing here reads the environment itself:
modules get environment values through ``env_fallback``, plugins through
Ansible's configuration manager.

Precedence: a task option (or plugin variable) > an environment variable >
``controller_config_file``.  Options given either way arrive here already
merged, so the file fills only what is still unset; its credentials
(username, password, token) are used only when no credential at all was given
otherwise, so a file never mixes its password or token with a task's user.
``validate_certs`` and ``request_timeout`` therefore have no argument-spec
default: their defaults (true, 10) apply here, after the file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.gitops.awx.plugins.module_utils._config_file import read_config_file
from ansible_collections.gitops.awx.plugins.module_utils._errors import ConfigurationError

DEFAULT_REQUEST_TIMEOUT = 10.0
DEFAULT_MAX_RETRIES = 5
DEFAULT_RETRY_MAX_TIME = 60.0

# First set wins: CONTROLLER_*, then AAP_*, then TOWER_* (env_fallback returns
# the first variable that exists).  The PLUGINS doc fragment lists the same
# names in the reverse order, because Ansible's config manager lets the last
# defined entry win.
ENV_FALLBACKS = {
    "controller_host": [
        "CONTROLLER_HOST", "CONTROLLER_HOSTNAME",
        "AAP_HOSTNAME", "AAP_HOST",
        "TOWER_HOST", "TOWER_HOSTNAME",
    ],
    "controller_username": ["CONTROLLER_USERNAME", "AAP_USERNAME", "TOWER_USERNAME"],
    "controller_password": ["CONTROLLER_PASSWORD", "AAP_PASSWORD", "TOWER_PASSWORD"],
    "controller_oauthtoken": [
        "CONTROLLER_OAUTH_TOKEN", "CONTROLLER_TOKEN",
        "AAP_TOKEN", "AAP_OAUTH_TOKEN",
        "TOWER_OAUTH_TOKEN", "TOWER_TOKEN",
    ],
    "validate_certs": [
        "CONTROLLER_VERIFY_SSL",
        "AAP_VALIDATE_CERTS", "AAP_VERIFY_SSL",
        "TOWER_VERIFY_SSL",
    ],
    "request_timeout": [
        "CONTROLLER_REQUEST_TIMEOUT", "AAP_REQUEST_TIMEOUT", "TOWER_REQUEST_TIMEOUT",
    ],
    "controller_config_file": ["CONTROLLER_CONFIG_FILE"],
}
CREDENTIAL_OPTIONS = ("controller_username", "controller_password", "controller_oauthtoken")


def _with_env(name, **spec):
    spec["fallback"] = (env_fallback, ENV_FALLBACKS[name])
    return spec


CONNECTION_ARGUMENT_SPEC = {
    "controller_host": _with_env(
        "controller_host", type="str", aliases=["host", "tower_host", "aap_hostname"]),
    "controller_username": _with_env(
        "controller_username", type="str", aliases=["username", "tower_username", "aap_username"]),
    "controller_password": _with_env(
        "controller_password", type="str", no_log=True,
        aliases=["password", "tower_password", "aap_password"]),
    "controller_oauthtoken": _with_env(
        "controller_oauthtoken", type="raw", no_log=True,
        aliases=["token", "aap_token", "tower_oauthtoken"]),
    "validate_certs": _with_env(
        "validate_certs", type="bool",
        aliases=["verify_ssl", "tower_verify_ssl", "aap_validate_certs"]),
    "ca_path": {"type": "path"},
    "request_timeout": _with_env("request_timeout", type="float"),
    "api_prefix": {"type": "str"},
    "max_retries": {"type": "int", "default": DEFAULT_MAX_RETRIES},
    "retry_max_time": {"type": "float", "default": DEFAULT_RETRY_MAX_TIME},
    "controller_config_file": _with_env(
        "controller_config_file", type="path", aliases=["tower_config_file"]),
}

CONNECTION_OPTION_NAMES = tuple(sorted(CONNECTION_ARGUMENT_SPEC))

TOKEN_AND_PASSWORD_WARNING = (
    "controller_oauthtoken and controller_username/controller_password are both set: "
    "the token is used and the username and password are ignored"
)


class ConnectionSettings:
    """Validated connection settings: what the client needs, nothing more.

    ``warnings`` lists harmless surprises (a token and a password both given)
    for the caller to show; it never contains a secret.
    """

    __slots__ = ("host", "username", "password", "token", "validate_certs", "ca_path",
                 "request_timeout", "api_prefix", "max_retries", "retry_max_time", "warnings")

    def __init__(self, host, username=None, password=None, token=None, validate_certs=True,
                 ca_path=None, request_timeout=DEFAULT_REQUEST_TIMEOUT, api_prefix=None,
                 max_retries=DEFAULT_MAX_RETRIES, retry_max_time=DEFAULT_RETRY_MAX_TIME,
                 warnings=None):
        self.host = host
        self.username = username
        self.password = password
        self.token = token
        self.validate_certs = validate_certs
        self.ca_path = ca_path
        self.request_timeout = request_timeout
        self.api_prefix = api_prefix
        self.max_retries = max_retries
        self.retry_max_time = retry_max_time
        self.warnings = list(warnings or [])

    @property
    def verify(self):
        """The value for requests' ``verify``: False, True or a CA bundle path."""
        if not self.validate_certs:
            return False
        return self.ca_path or True

    def __repr__(self):
        # Never show the password or the token, even in a debugger or a traceback.
        return "ConnectionSettings(host=%r, username=%r, password=%s, token=%s, validate_certs=%r)" % (
            self.host, self.username, "***" if self.password else None,
            "***" if self.token else None, self.validate_certs)


def _text(options, name):
    """A string option; an empty or blank string counts as not given."""
    value = options.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = value.strip()
    return value or None


def normalize_host(value):
    """``awx.example.com`` -> ``https://awx.example.com``; reject what cannot be a base URL.

    A path is kept as a prefix (AWX served under ``https://example.com/awx``), but
    not an API path: that is what ``api_prefix`` is for.
    """
    if value is None:
        raise ConfigurationError("controller_host is required (or set CONTROLLER_HOST)")
    if "@" in value:
        # Whatever else is wrong, never echo something that may hold a password.
        raise ConfigurationError(
            "controller_host must not contain credentials: "
            "use controller_username/controller_password or controller_oauthtoken")
    if "://" not in value:
        value = "https://" + value
    bad = ConfigurationError(
        "controller_host %r is not a valid URL: use a scheme and host name with an optional "
        "port, such as https://awx.example.com" % value)
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError on a bad port
    except ValueError:
        raise bad
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise bad
    if parts.query or parts.fragment or any(char.isspace() for char in value):
        raise bad
    path = parts.path.rstrip("/")
    if path == "/api" or path.startswith("/api/") or "/api/" in path + "/":
        raise ConfigurationError(
            "controller_host %r includes the API path: give the server's URL, such as "
            "https://awx.example.com, and api_prefix if the API root must be pinned" % value)
    netloc = parts.hostname
    if ":" in netloc:  # an IPv6 literal
        netloc = "[%s]" % netloc
    if port is not None:
        netloc = "%s:%d" % (netloc, port)
    return "%s://%s%s" % (parts.scheme.lower(), netloc, path)


def _token(options):
    value = options.get("controller_oauthtoken")
    if isinstance(value, dict):
        value = value.get("token")
        if not isinstance(value, str) or not value.strip():
            raise ConfigurationError(
                "controller_oauthtoken must be a string or a dict with a 'token' key "
                "(what a token module returns)")
    if value is not None and not isinstance(value, str):
        raise ConfigurationError(
            "controller_oauthtoken must be a string or a dict with a 'token' key (got %s)"
            % type(value).__name__)
    token = _text({"controller_oauthtoken": value}, "controller_oauthtoken")
    if token is not None and any(char.isspace() or ord(char) < 32 for char in token):
        # It could never be sent in a header, and requests' header error would print it.
        raise ConfigurationError("controller_oauthtoken contains whitespace or control characters")
    return token


def _number(options, name, default, kind, minimum, allow_equal):
    value = options.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool):
        raise ConfigurationError("%s must be a number, not a boolean" % name)
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigurationError("%s must be a number (got %r)" % (name, value))
    if number < minimum or (number == minimum and not allow_equal):
        raise ConfigurationError("%s must be %s %s (got %s)" % (
            name, "at least" if allow_equal else "greater than", minimum, value))
    return number


def _bool(options, name, default):
    value = options.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise ConfigurationError("%s must be a boolean (got %r)" % (name, value))


def normalize_api_prefix(value):
    """``api/v2`` -> ``/api/v2/``: the API root as a host-relative path."""
    if value is None:
        return None
    value = value.strip().strip("/")
    if not value:
        return None
    if "://" in value or "?" in value or " " in value:
        raise ConfigurationError(
            "api_prefix must be a path such as /api/v2/ or /api/controller/v2/ (got %r)" % value)
    return "/%s/" % value


def _unset(value):
    return value is None or (isinstance(value, str) and not value.strip())


def with_config_file(options):
    """``(options, warnings)``: ``options`` with ``controller_config_file`` filling the gaps.

    Only options that are unset (None or blank) take the file's value, and the
    file's credentials only when no credential is set at all.
    """
    path = _text(options, "controller_config_file")
    if path is None:
        return options, []
    values, warnings = read_config_file(path)
    merged = dict(options)
    credentials_given = any(not _unset(options.get(name)) for name in CREDENTIAL_OPTIONS)
    for name, value in values.items():
        if name in CREDENTIAL_OPTIONS and credentials_given:
            continue
        if _unset(options.get(name)):
            merged[name] = value
    return merged, warnings


def settings_from_options(options):
    """Validate connection options (module params or plugin option values).

    Missing values and None take the defaults of ``CONNECTION_ARGUMENT_SPEC``
    (``validate_certs`` true, ``request_timeout`` 10), after ``controller_config_file``
    filled what was unset (see the module docstring for the precedence); every
    problem raises ``ConfigurationError`` naming the option.  A token wins over
    a username/password: the latter are dropped so they can never be sent.
    """
    options, warnings = with_config_file(options)
    host = normalize_host(_text(options, "controller_host"))
    token = _token(options)
    username = _text(options, "controller_username")
    # A password is taken as given (spaces may be part of it); only "" counts as unset.
    password = options.get("controller_password")
    if password is not None and not isinstance(password, str):
        password = str(password)
    password = password or None
    if token is not None:
        if username is not None or password is not None:
            warnings.append(TOKEN_AND_PASSWORD_WARNING)
        username = password = None
    elif username is not None and password is None:
        raise ConfigurationError(
            "controller_password is required when controller_username is set "
            "(or set CONTROLLER_PASSWORD), or use controller_oauthtoken")
    elif password is not None and username is None:
        raise ConfigurationError(
            "controller_username is required when controller_password is set "
            "(or set CONTROLLER_USERNAME)")

    validate_certs = _bool(options, "validate_certs", True)
    ca_path = _text(options, "ca_path")
    if ca_path is not None:
        ca_path = os.path.expanduser(ca_path)
        if not os.path.exists(ca_path):
            raise ConfigurationError("ca_path %s does not exist" % ca_path)

    return ConnectionSettings(
        host=host,
        username=username,
        password=password,
        token=token,
        validate_certs=validate_certs,
        ca_path=ca_path,
        request_timeout=_number(options, "request_timeout", DEFAULT_REQUEST_TIMEOUT, float, 0, False),
        api_prefix=normalize_api_prefix(_text(options, "api_prefix")),
        max_retries=_number(options, "max_retries", DEFAULT_MAX_RETRIES, int, 0, True),
        retry_max_time=_number(options, "retry_max_time", DEFAULT_RETRY_MAX_TIME, float, 0, True),
        warnings=warnings,
    )
