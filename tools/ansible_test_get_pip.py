"""Offline stand-in for the pip bootstrap script that ansible-test downloads.

ansible-test fetches ``get-pip-<version>.py`` from the internet to seed the
virtual environments it makes for sanity tests; our CI machines only reach
package registries.  This script does the same job with the standard library:
``ensurepip`` seeds pip, then pip installs the packages ansible-test asked for
(from PyPI, which is reachable).  ``tools/sanity.sh`` copies it into
ansible-test's cache.
"""
import subprocess
import sys

GET_PIP_ONLY_FLAGS = ("--no-setuptools", "--no-wheel")


def main():
    arguments = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_FLAGS]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
    subprocess.check_call([sys.executable, "-m", "pip", "install"] + arguments)


if __name__ == "__main__":
    main()
