"""The Qt binding keeps Python's reference counts right over a show day.

PySide6 6.12.0's Signal.emit() returned True without taking a reference to it: every emit cost
True one reference, and on Python 3.11 (where True is not immortal) the cockpit, emitting its car
and signal state ten times a second, died with "bool_dealloc: deallocating True" after about
seven minutes of kiosk mode. pyproject pins a release without that bug; this test finds it again.
"""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit

# In a process of its own: a QCoreApplication here would stop later tests from making the
# QGuiApplication that drawing needs.
EMIT_1500 = """
import json, sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Source(QObject):
    plain = Signal()
    flag = Signal(bool)
    text = Signal(str)
s = Source()
got = []
s.flag.connect(got.append)
before = sys.getrefcount(True), sys.getrefcount(False)
for i in range(500):
    s.plain.emit()
    s.flag.emit(i % 2 == 0)
    s.text.emit("x")
n = len(got)
del got  # it held 250 of each
after = sys.getrefcount(True), sys.getrefcount(False)
print(json.dumps({"received": n, "before": before, "after": after}))
"""


def test_emitting_signals_does_not_eat_references_to_true_or_false():
    out = subprocess.run([sys.executable, "-c", EMIT_1500], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]  # 6.12.0 may already abort here
    r = json.loads(out.stdout)
    assert r["received"] == 500
    (t0, f0), (t1, f1) = r["before"], r["after"]
    # A few references may come and go with the interpreter's own work; the leak cost 1,500.
    assert t1 >= t0 - 5 and f1 >= f0 - 5, r
