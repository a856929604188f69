# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Resource modules: full check mode and diff support, member of the action group.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying the target.
    support: full
    details:
      - No POST, PATCH, PUT or DELETE request is sent. GET requests are, so unknown references
        are reported in check mode too.
      - The result holds the predicted object; a created object has RV(id=None).
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: full
    details:
      - The diff is the before/after of the options you gave, normalised the way they are
        compared (variables as data, references as ids, secrets masked).
  action_group:
    description: Use C(group/gitops.awx.awx) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - gitops.awx.awx
"""

    # Modules that act (launch, wait, cancel) rather than converge a resource.
    ACTIONS = r"""
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying the target.
    support: full
    details:
      - Nothing is launched or cancelled in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: none
  action_group:
    description: Use C(group/gitops.awx.awx) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - gitops.awx.awx
"""
