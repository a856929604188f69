# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A salted, deliberately slow fingerprint of secret values, and where it is kept.

AWX answers every secret as ``$encrypted$``, so a module cannot tell whether
the secret a task declares is the one AWX holds.  Sending it on every run is
honest but never converges (``changed`` every time); never sending it means a
rotated secret in the vault never reaches AWX.  A fingerprint kept with the
object settles both: the module sends the secrets when the fingerprint of what
the task declares differs from the stored one, and only then.

The fingerprint is PBKDF2-HMAC-SHA256 over a canonical JSON of
``{field: value}`` (the secret fields only), with a random 16-byte salt drawn
for every write, encoded ``pbkdf2-sha256$<iterations>$<salt>$<digest>``
(base64).  The iteration count makes one check cost about 0.1 s, so someone
who can read the object can test guesses at about ten per second and core
(more with dedicated hardware): a strong secret stays safe, a weak password
does not.  The salt makes equal secrets on two objects look unrelated.

It is kept as a trailing marker of a free text field (``[gitops.awx secrets:
pbkdf2-sha256$...]`` at the end of a credential's description):
:func:`split_marked` and :func:`join_marked` separate the user's text from it.

This file does no I/O and imports nothing from Ansible.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import hmac
import json
import os
import re

SCHEME = "pbkdf2-sha256"
# About 0.1 s per fingerprint with hashlib on a 2020s server core (measured: 0.09 s).
ITERATIONS = 200000
# Fewer would make guessing cheap; more would make every run slow. Stored counts
# outside this range are not trusted (a forged marker must not turn a check into a DoS).
_MIN_ITERATIONS = 10000
_MAX_ITERATIONS = 2000000
SALT_BYTES = 16

MARKER_PREFIX = "[gitops.awx secrets: "
_MARKER = re.compile(r"(?:^|\s+)\[gitops\.awx secrets: ([^\]\s]+)\]\s*$")


def _canonical(secrets):
    return json.dumps(secrets, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _b64(data):
    return base64.b64encode(data).decode("ascii")


def _digest(secrets, salt, iterations):
    return hashlib.pbkdf2_hmac("sha256", _canonical(secrets), salt, iterations)


def fingerprint(secrets, salt=None, iterations=ITERATIONS):
    """``pbkdf2-sha256$<iterations>$<salt b64>$<digest b64>`` of ``{field: value}``."""
    if salt is None:
        salt = os.urandom(SALT_BYTES)
    return "%s$%d$%s$%s" % (SCHEME, iterations, _b64(salt), _b64(_digest(secrets, salt, iterations)))


def _parse(encoded):
    try:
        scheme, iterations, salt, digest = encoded.split("$")
        iterations = int(iterations)
        salt = base64.b64decode(salt.encode("ascii"))
        digest = base64.b64decode(digest.encode("ascii"))
    except (AttributeError, ValueError, TypeError):
        return None
    if scheme != SCHEME or not _MIN_ITERATIONS <= iterations <= _MAX_ITERATIONS or not salt:
        return None
    return iterations, salt, digest


def matches(secrets, encoded):
    """True when ``encoded`` (a stored fingerprint, or None) is one of ``secrets``."""
    if not encoded:
        return False
    parsed = _parse(encoded)
    if parsed is None:
        return False
    iterations, salt, digest = parsed
    return hmac.compare_digest(_digest(secrets, salt, iterations), digest)


def split_marked(text):
    """``(user text, fingerprint or None)`` of a text that may end with our marker."""
    if not text:
        return "", None
    found = _MARKER.search(text)
    if found is None:
        return text, None
    return text[:found.start()], found.group(1)


def join_marked(user_text, encoded):
    """The stored text: the user's text, then the marker when there is a fingerprint."""
    user_text = user_text or ""
    if not encoded:
        return user_text
    marker = "%s%s]" % (MARKER_PREFIX, encoded)
    return "%s %s" % (user_text, marker) if user_text else marker
