"""Package discovery for the repository's layout.

The repository keeps the design card's folders (``core/``, ``plugins/<domain>/``) while the
distribution installs them under one namespace, ``hmip_inspect.core`` and
``hmip_inspect.plugins``. Every package below those folders (and every data folder, such as
``core/migrations/versions`` or a plugin's ``examples/``) is found here rather than listed by
hand, so a new plugin or sub-package ships without touching this file. Everything else is
declared in ``pyproject.toml``; ``tests/test_packaging.py`` builds a wheel and runs it.
"""

from setuptools import find_namespace_packages, setup

ROOTS = ("core", "plugins")


def packages() -> list[str]:
    found = []
    for root in ROOTS:
        found.append(f"hmip_inspect.{root}")
        found += [f"hmip_inspect.{root}.{name}"
                  for name in find_namespace_packages(root, exclude=["*__pycache__*"])]
    return found


setup(packages=packages(), package_dir={f"hmip_inspect.{root}": root for root in ROOTS})
