# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""gitops.awx.project in the controller process when the task runs there; see plugins/plugin_utils/_in_process.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.plugin_utils._in_process import ActionModule  # noqa: F401 pylint: disable=unused-import
