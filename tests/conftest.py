"""Make this checkout importable as ``ansible_collections.gitops.awx``.

The collection root is the repository root, so tests reach it through a
symlink ``.build/collections/ansible_collections/gitops/awx`` -> checkout.
The same path is what ``ansible-playbook`` runs get as ANSIBLE_COLLECTIONS_PATH.
"""
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS_PATH = os.path.join(REPO_ROOT, ".build", "collections")


def _link_collection():
    namespace_dir = os.path.join(COLLECTIONS_PATH, "ansible_collections", "gitops")
    link = os.path.join(namespace_dir, "awx")
    os.makedirs(namespace_dir, exist_ok=True)
    if not os.path.islink(link):
        os.symlink(REPO_ROOT, link)


_link_collection()
os.environ["ANSIBLE_COLLECTIONS_PATH"] = COLLECTIONS_PATH
if COLLECTIONS_PATH not in sys.path:
    sys.path.insert(0, COLLECTIONS_PATH)

# Install Ansible's collection finder with our path before any test imports the collection,
# so that plugins loaded through Ansible's loaders and plain imports see the same modules.
from ansible.plugins.loader import init_plugin_loader  # noqa: E402  pylint: disable=wrong-import-position

init_plugin_loader([COLLECTIONS_PATH])
