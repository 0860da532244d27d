"""The Qt binding keeps Python's reference counts right over a show day.

PySide6 6.12.0's Signal.emit() returned True without taking a reference to it: every emit cost
True one reference, and on Python 3.11 (where True is not immortal) the cockpit, emitting its car
and signal state ten times a second, died with "bool_dealloc: deallocating True" after about
seven minutes of kiosk mode. pyproject pins a release without that bug; this test finds it again.
"""

import sys

import pytest

pytestmark = pytest.mark.unit


def test_emitting_signals_does_not_eat_references_to_true_or_false():
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    QCoreApplication.instance() or QCoreApplication([])

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
    assert len(got) == 500
    del got  # it held 250 of each
    after = sys.getrefcount(True), sys.getrefcount(False)
    # A few references may come and go with the interpreter's own work; a leak costs 500 or more.
    assert after[0] >= before[0] - 5 and after[1] >= before[1] - 5, (before, after)
