"""``python3 -m chaingraph …``: the same as the ``chaingraph`` command."""

from chaingraph.cli import run

if __name__ == "__main__":
    run()
