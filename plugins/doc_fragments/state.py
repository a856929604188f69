# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # The state option shared by every resource module.
    DOCUMENTATION = r"""
options:
  state:
    description:
      - V(present) creates the object when it is missing and updates the options you gave
        when they differ; options you leave out are not touched.
      - V(absent) deletes the object; an object that does not exist is not an error.
      - V(exists) creates the object when it is missing and never changes an existing one.
    type: str
    choices: [present, absent, exists]
    default: present
"""

    # For resources that can be renamed.
    NEW_NAME = r"""
options:
  new_name:
    description:
      - Rename the object to this name.
      - Idempotent. If an object called O(name) exists it is renamed; if none does but one
        called O(new_name) does, that one is managed and nothing is renamed; if neither
        exists the object is created with O(new_name).
      - Ignored with O(state=absent).
    type: str
"""
