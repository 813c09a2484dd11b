"""Defaults a user can override, written once.

Light on purpose (no imports): the CLI reads these when it declares its options, before any
library is loaded.
"""

DEFAULT_PARK = "永州经开区"
"""The focal park when none is named: the park the bundled graph describes (``--park``)."""
