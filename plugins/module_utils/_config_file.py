# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read a tower-cli style config file (``controller_config_file``).

Accepted formats, as ``awx.awx`` and tower-cli accept them:

- YAML (or JSON): a mapping ``host: ...``;
- INI with a ``[general]`` section;
- flat ``key=value`` (or ``key: value``) lines, read as the ``[general]`` section.

Keys: ``host``, ``username``, ``password``, ``oauth_token``, ``verify_ssl``,
``request_timeout``.  Other keys are ignored with a warning naming them.
Every problem is a ``ConfigurationError`` naming the option and the file; no
error or warning ever contains a value read from the file except
``verify_ssl`` and ``request_timeout`` (never a password or a token).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.module_utils.six.moves import configparser

from ansible_collections.gitops.awx.plugins.module_utils._errors import ConfigurationError

try:
    import yaml
    HAS_YAML = True
except ImportError:  # pragma: no cover - PyYAML ships with ansible-core
    yaml = None
    HAS_YAML = False

OPTION = "controller_config_file"
# file key -> connection option
FILE_KEYS = {
    "host": "controller_host",
    "username": "controller_username",
    "password": "controller_password",
    "oauth_token": "controller_oauthtoken",
    "verify_ssl": "validate_certs",
    "request_timeout": "request_timeout",
}
_SECRET_KEYS = ("password", "oauth_token")


def _fail(path, message):
    return ConfigurationError("%s %s: %s" % (OPTION, path, message))


def _read_text(path):
    if not os.path.exists(path):
        raise _fail(path, "no such file")
    if not os.path.isfile(path):
        raise _fail(path, "not a file")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except (IOError, OSError) as error:
        raise _fail(path, "cannot be read (%s)" % (error.strerror or type(error).__name__))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(path, "is not UTF-8 text")


def _from_yaml(text):
    """The mapping a YAML/JSON file holds, or None when the text is not one."""
    if not HAS_YAML:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _from_ini(path, text):
    parser = configparser.ConfigParser(interpolation=None)
    try:
        try:
            parser.read_string(text, source=path)
        except configparser.MissingSectionHeaderError:
            # tower-cli's flat "key=value" file: the [general] section is implied.
            parser = configparser.ConfigParser(interpolation=None)
            parser.read_string(u"[general]\n" + text, source=path)
    except configparser.Error as error:
        # The parser's own message quotes the offending line, which may hold a password.
        line = getattr(error, "lineno", None)
        if line is None and getattr(error, "errors", None):
            line = error.errors[0][0]
        where = " (line %s)" % line if line is not None else ""
        raise _fail(path, "is neither a YAML mapping nor an INI file with a [general] section%s"
                    % where)
    if not parser.has_section("general"):
        raise _fail(path, "has no [general] section")
    return dict(parser.items("general"))


def _convert(path, key, value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if key == "verify_ssl":
        try:
            return boolean(value, strict=True)
        except TypeError:
            raise _fail(path, "verify_ssl must be a boolean (got %r)" % (value,))
    if key == "request_timeout":
        if isinstance(value, bool):
            raise _fail(path, "request_timeout must be a number, not a boolean")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise _fail(path, "request_timeout must be a number (got %r)" % (value,))
        if number <= 0:
            raise _fail(path, "request_timeout must be greater than 0 (got %r)" % (value,))
        return number
    if isinstance(value, (dict, list)):
        raise _fail(path, "%s must be a single value" % key)
    if isinstance(value, bool) and key not in _SECRET_KEYS:
        raise _fail(path, "%s must be a string" % key)
    text = value if isinstance(value, str) else str(value)
    return text if key in _SECRET_KEYS else text.strip()


def read_config_file(path):
    """``(values, warnings)``: the file's settings as connection options.

    ``values`` maps connection option names (``controller_host``...) to the
    file's values, converted; keys the file does not set are absent.
    """
    path = os.path.expanduser(path)
    text = _read_text(path)
    data = _from_yaml(text)
    if data is None:
        data = _from_ini(path, text)
    values, unknown = {}, []
    for raw_key, value in data.items():
        key = str(raw_key).strip().lower()
        if key not in FILE_KEYS:
            unknown.append(str(raw_key))
            continue
        converted = _convert(path, key, value)
        if converted is not None:
            values[FILE_KEYS[key]] = converted
    warnings = []
    if unknown:
        warnings.append("%s %s: unknown keys ignored: %s (known: %s)" % (
            OPTION, path, ", ".join(sorted(unknown)), ", ".join(sorted(FILE_KEYS))))
    return values, warnings
