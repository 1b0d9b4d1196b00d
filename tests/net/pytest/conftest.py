# The host-side helpers the test apps share (tests/common: the TLS test certificates).
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "common"))
