"""Copy the bundled ontology, data and candidate pool into the wheel (chaingraph/bundled/).

In a source checkout (``pip install -e .``) chaingraph reads ``ontology/`` and ``data/``
from the repository; a regular install reads the copies made here.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithBundledData(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "chaingraph" / "bundled"
        for name in ("ontology", "data", "pool"):
            dest = target / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(ROOT / name, dest, ignore=shutil.ignore_patterns("tools", "__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithBundledData})
