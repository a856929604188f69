# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection settings for lookup and inventory plugins.

Plugins declare the connection options through the ``gitops.awx.connection.PLUGINS``
doc fragment (with ``env:`` and ``vars:``), so Ansible's configuration manager
already resolved task options, variables and environment variables when
``get_option`` answers.  This adapter only reads those answers: plugins never
look at ``os.environ`` themselves.  ``controller_config_file`` (or
``CONTROLLER_CONFIG_FILE``) is one of those options: ``settings_from_options``
reads the file and lets it fill only what the options left unset.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._options import (
    CONNECTION_OPTION_NAMES,
    settings_from_options,
)


def connection_options_from_plugin(plugin):
    """The connection option values of a configured plugin, as a dict.

    An option the plugin does not declare reads as None (its default then
    applies), so a plugin may leave out, for example, ``api_prefix``.
    """
    values = {}
    for name in CONNECTION_OPTION_NAMES:
        try:
            values[name] = plugin.get_option(name)
        except KeyError:
            values[name] = None
    return values


def settings_from_plugin(plugin):
    """``ConnectionSettings`` for a plugin whose options are set
    (``set_options`` was called); raises ``ConfigurationError`` like modules do."""
    return settings_from_options(connection_options_from_plugin(plugin))
