# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parse variables given as YAML/JSON text or a dict into a dict.

Used by the spec's ``Variables`` field (``_spec.py`` re-exports
:func:`parse_variables`); kept apart because parsing is its own job.
This file does no I/O and imports nothing from Ansible.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.gitops.awx.plugins.module_utils._errors import ResourceError

try:
    import yaml
    HAS_YAML = True
except ImportError:  # pragma: no cover - PyYAML ships with ansible-core
    yaml = None
    HAS_YAML = False


def parse_variables(value, option="variables"):
    """Turn variables given as a dict, JSON or YAML text into a dict.

    An empty text or ``None`` is ``{}`` (what AWX's ``""`` means).  Anything that
    is not a mapping is refused before any write, as AWX would refuse it.
    """
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        raise ResourceError("%s: expected a dict or a YAML/JSON string, got %s"
                            % (option, type(value).__name__))
    try:
        data = json.loads(value)
    except ValueError:
        if not HAS_YAML:
            raise ResourceError("%s: invalid JSON and PyYAML is not installed to read YAML"
                                % option)
        try:
            data = yaml.safe_load(value)
        except yaml.YAMLError as error:
            raise ResourceError("%s: invalid YAML: %s" % (option, " ".join(str(error).split())))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ResourceError("%s: invalid YAML: expected a mapping, got %s"
                            % (option, type(data).__name__))
    return data
