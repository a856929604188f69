"""_fingerprint: the salted slow fingerprint of secrets and the marker that keeps it."""
import time

import pytest

from ansible_collections.gitops.awx.plugins.module_utils import _fingerprint as fp


def test_format_and_match():
    encoded = fp.fingerprint({"password": "s3cret"})
    scheme, iterations, salt, digest = encoded.split("$")
    assert scheme == "pbkdf2-sha256" and int(iterations) == fp.ITERATIONS
    assert fp.matches({"password": "s3cret"}, encoded)
    assert not fp.matches({"password": "other"}, encoded)
    assert not fp.matches({"password": "s3cret", "ssh_key_data": "k"}, encoded)
    assert "s3cret" not in encoded


def test_a_new_salt_every_time():
    first, second = fp.fingerprint({"p": "x"}), fp.fingerprint({"p": "x"})
    assert first != second and fp.matches({"p": "x"}, first) and fp.matches({"p": "x"}, second)


def test_key_order_does_not_matter():
    encoded = fp.fingerprint({"a": "1", "b": "2"})
    assert fp.matches({"b": "2", "a": "1"}, encoded)


def test_deliberately_slow_but_bounded():
    start = time.perf_counter()
    fp.fingerprint({"password": "x"})
    elapsed = time.perf_counter() - start
    assert 0.01 < elapsed < 1.0, elapsed


@pytest.mark.parametrize("stored", [
    None, "", "garbage", "md5$1$a$b", "pbkdf2-sha256$notanumber$AA==$AA==",
    "pbkdf2-sha256$10$AAAA$AAAA",            # too few iterations: not trusted
    "pbkdf2-sha256$999999999$AAAA$AAAA",     # a forged count must not make a check take hours
    "pbkdf2-sha256$200000$$AAAA",
])
def test_unusable_markers_never_match(stored):
    assert not fp.matches({"p": "x"}, stored)


@pytest.mark.parametrize("text, user_text", [
    ("", ""), ("plain", "plain"), ("with [brackets] inside", "with [brackets] inside"),
])
def test_split_and_join(text, user_text):
    encoded = fp.fingerprint({"p": "x"}, iterations=10000)
    stored = fp.join_marked(text, encoded)
    assert fp.split_marked(stored) == (user_text, encoded)
    assert fp.split_marked(text) == (user_text, None)
    assert fp.join_marked(text, None) == text
