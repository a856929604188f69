# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options, documented once, in two twins.

MODULES documents ``CONNECTION_ARGUMENT_SPEC`` (module_utils/_options.py),
whose environment fallbacks are applied by ``env_fallback`` (first set wins).
PLUGINS declares the same options for lookup and inventory plugins, which get
their values from Ansible's configuration manager; there the LAST listed
``env:`` entry that is set wins, so the lists below run from the weakest
(TOWER_*) to the strongest (CONTROLLER_*) name: the same precedence as modules.
A test keeps both twins and the argument spec in step.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    MODULES = r"""
options:
  controller_host:
    description:
      - URL of the AWX or automation controller server, such as C(https://awx.example.com).
      - A host name without a scheme gets C(https://). A path is kept as a prefix (an AWX served at C(https://example.com/awx));
        a query, credentials or the API path itself (C(/api/v2)) in the URL are refused.
      - If not set, the first of these environment variables that is set is used
        C(CONTROLLER_HOST), C(CONTROLLER_HOSTNAME), C(AAP_HOSTNAME), C(AAP_HOST), C(TOWER_HOST), C(TOWER_HOSTNAME).
    type: str
    aliases: [ host, tower_host, aap_hostname ]
  controller_username:
    description:
      - User name for HTTP Basic authentication. Ignored when O(controller_oauthtoken) is set.
      - After a few requests the collection switches to a personal token of its own, deleted at the
        end of the task; see the authentication guide.
      - If not set, the environment variables C(CONTROLLER_USERNAME), C(AAP_USERNAME), C(TOWER_USERNAME) are used, first set wins.
    type: str
    aliases: [ username, tower_username, aap_username ]
  controller_password:
    description:
      - Password for O(controller_username). Ignored when O(controller_oauthtoken) is set.
      - If not set, the environment variables C(CONTROLLER_PASSWORD), C(AAP_PASSWORD), C(TOWER_PASSWORD) are used, first set wins.
    type: str
    aliases: [ password, tower_password, aap_password ]
  controller_oauthtoken:
    description:
      - An OAuth2 or personal access token, sent in an C(Authorization) header with the C(Bearer) scheme.
      - Either the token string or the dict a token module returns (its C(token) key is used).
      - When both a token and a username/password are given, the token is used and the username and password are never sent.
      - If not set, the first of these environment variables that is set is used
        C(CONTROLLER_OAUTH_TOKEN), C(CONTROLLER_TOKEN), C(AAP_TOKEN), C(AAP_OAUTH_TOKEN), C(TOWER_OAUTH_TOKEN), C(TOWER_TOKEN).
    type: raw
    aliases: [ token, aap_token, tower_oauthtoken ]
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. Only set this to V(false) on a trusted network.
      - If not set, the environment variables C(CONTROLLER_VERIFY_SSL), C(AAP_VALIDATE_CERTS), C(AAP_VERIFY_SSL), C(TOWER_VERIFY_SSL)
        are used, first set wins, then C(verify_ssl) of O(controller_config_file), then V(true).
    type: bool
    aliases: [ verify_ssl, tower_verify_ssl, aap_validate_certs ]
  ca_path:
    description:
      - Path of a PEM CA bundle used to verify the server's certificate instead of the system's.
    type: path
  request_timeout:
    description:
      - Seconds to wait for the server to accept a connection and for each answer.
      - If not set, the environment variables C(CONTROLLER_REQUEST_TIMEOUT), C(AAP_REQUEST_TIMEOUT), C(TOWER_REQUEST_TIMEOUT) are used,
        first set wins, then C(request_timeout) of O(controller_config_file), then V(10).
    type: float
  api_prefix:
    description:
      - The API root, such as C(/api/v2/) or C(/api/controller/v2/). When set, the client never asks C(/api/).
      - By default the client assumes C(/api/v2/) (AWX) and takes the first answer under it as confirmation; a 404 before that
        asks C(/api/) once, which finds the AAP 2.5+ gateway's C(/api/controller/v2/).
    type: str
  max_retries:
    description:
      - How many times a failed request is repeated (connection errors, HTTP 429, 502, 503, 504), with jittered exponential backoff.
      - A POST is repeated only when the server certainly did not process it. V(0) turns retries off.
    type: int
    default: 5
  retry_max_time:
    description:
      - Upper bound in seconds on the time one request may take with all its retries and waits.
    type: float
    default: 60
  controller_config_file:
    description:
      - Path of a tower-cli style config file with connection settings, as C(awx.awx) reads it. Either a YAML mapping
        (one C(key) colon C(value) per line), or INI with a C([general]) section, or plain C(key=value) lines.
      - "Keys: C(host), C(username), C(password), C(oauth_token), C(verify_ssl), C(request_timeout); other keys are ignored with a warning."
      - "Precedence: an option given in the task wins, then its environment variables, then the file. The file's credentials
        (C(username), C(password), C(oauth_token)) are used only when neither the task nor the environment gives any credential."
      - Only this file is read; the default locations of tower-cli (such as C(~/.tower_cli.cfg)) are not searched.
      - A missing or unreadable file, or one in none of these formats, fails the task; the file's password and token are never shown.
      - If not set, the environment variable C(CONTROLLER_CONFIG_FILE) is used.
    type: path
    aliases: [ tower_config_file ]
"""

    PLUGINS = r"""
options:
  controller_host:
    description:
      - URL of the AWX or automation controller server, such as C(https://awx.example.com).
      - A host name without a scheme gets C(https://).
      - Of the environment variables listed, the last one that is set wins, so C(CONTROLLER_*) beats C(AAP_*), which beats C(TOWER_*).
    type: str
    aliases: [ host, tower_host, aap_hostname ]
    env:
      - name: TOWER_HOSTNAME
      - name: TOWER_HOST
      - name: AAP_HOST
      - name: AAP_HOSTNAME
      - name: CONTROLLER_HOSTNAME
      - name: CONTROLLER_HOST
    vars:
      - name: controller_host
  controller_username:
    description:
      - User name for HTTP Basic authentication. Ignored when O(controller_oauthtoken) is set.
      - Of the environment variables listed, the last one that is set wins, so C(CONTROLLER_*) beats C(AAP_*), which beats C(TOWER_*).
    type: str
    aliases: [ username, tower_username, aap_username ]
    env:
      - name: TOWER_USERNAME
      - name: AAP_USERNAME
      - name: CONTROLLER_USERNAME
    vars:
      - name: controller_username
  controller_password:
    description:
      - Password for O(controller_username). Ignored when O(controller_oauthtoken) is set.
      - Of the environment variables listed, the last one that is set wins, so C(CONTROLLER_*) beats C(AAP_*), which beats C(TOWER_*).
    type: str
    aliases: [ password, tower_password, aap_password ]
    env:
      - name: TOWER_PASSWORD
      - name: AAP_PASSWORD
      - name: CONTROLLER_PASSWORD
    vars:
      - name: controller_password
  controller_oauthtoken:
    description:
      - An OAuth2 or personal access token, sent in an C(Authorization) header with the C(Bearer) scheme; a string or the dict a token module returns.
      - When both a token and a username/password are given, the token is used and the username and password are never sent.
      - Of the environment variables listed, the last one that is set wins, so C(CONTROLLER_*) beats C(AAP_*), which beats C(TOWER_*).
    type: raw
    aliases: [ token, aap_token, tower_oauthtoken ]
    env:
      - name: TOWER_TOKEN
      - name: TOWER_OAUTH_TOKEN
      - name: AAP_OAUTH_TOKEN
      - name: AAP_TOKEN
      - name: CONTROLLER_TOKEN
      - name: CONTROLLER_OAUTH_TOKEN
    vars:
      - name: controller_oauthtoken
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. Defaults to V(true) when neither this option, its variables and
        environment variables nor O(controller_config_file) set it.
      - Of the environment variables listed, the last one that is set wins, so C(CONTROLLER_*) beats C(AAP_*), which beats C(TOWER_*).
    type: bool
    aliases: [ verify_ssl, tower_verify_ssl, aap_validate_certs ]
    env:
      - name: TOWER_VERIFY_SSL
      - name: AAP_VERIFY_SSL
      - name: AAP_VALIDATE_CERTS
      - name: CONTROLLER_VERIFY_SSL
    vars:
      - name: controller_validate_certs
  ca_path:
    description:
      - Path of a PEM CA bundle used to verify the server's certificate.
    type: path
    vars:
      - name: controller_ca_path
  request_timeout:
    description:
      - Seconds to wait for a connection and for each answer. Defaults to V(10) when neither this option, its variables and
        environment variables nor O(controller_config_file) set it.
      - Of the environment variables listed, the last one that is set wins, so C(CONTROLLER_*) beats C(AAP_*), which beats C(TOWER_*).
    type: float
    env:
      - name: TOWER_REQUEST_TIMEOUT
      - name: AAP_REQUEST_TIMEOUT
      - name: CONTROLLER_REQUEST_TIMEOUT
    vars:
      - name: controller_request_timeout
  api_prefix:
    description:
      - The API root, such as C(/api/v2/) or C(/api/controller/v2/). When set, the client never asks C(/api/).
      - By default the client assumes C(/api/v2/) (AWX) and asks C(/api/) once only if a first answer is a 404.
    type: str
    vars:
      - name: controller_api_prefix
  max_retries:
    description:
      - How many times a failed request is repeated (connection errors, HTTP 429, 502, 503, 504). V(0) turns retries off.
    type: int
    default: 5
    vars:
      - name: controller_max_retries
  retry_max_time:
    description:
      - Upper bound in seconds on the time one request may take with all its retries.
    type: float
    default: 60
    vars:
      - name: controller_retry_max_time
  controller_config_file:
    description:
      - Path of a tower-cli style config file with connection settings. Either a YAML mapping, or INI with a
        C([general]) section, or plain C(key=value) lines.
      - "Keys: C(host), C(username), C(password), C(oauth_token), C(verify_ssl), C(request_timeout); other keys are ignored with a warning."
      - "Precedence: an option or variable wins, then the environment variables, then the file. The file's credentials are
        used only when no credential (user name, password or token) is given otherwise."
      - A missing or unreadable file, or one in none of these formats, is an error; the file's password and token are never shown.
    type: path
    aliases: [ tower_config_file ]
    env:
      - name: CONTROLLER_CONFIG_FILE
    vars:
      - name: controller_config_file
"""
