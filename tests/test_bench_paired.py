"""``bench.paired``'s verdict is the issue's target: ≤ 1.1× pyoxigraph from 10 ms, else +1 ms."""

from __future__ import annotations

import pytest

from ctkg.bench.paired import target


@pytest.mark.parametrize(
    ("pyox", "ctkg", "rule", "met"),
    [
        (100.0, 110.0, "≤ 1.1×", True),
        (100.0, 110.5, "≤ 1.1×", False),
        (10.0, 10.9, "≤ 1.1×", True),
        (9.9, 10.9, "≤ +1 ms", True),
        (9.9, 11.0, "≤ +1 ms", False),
        (0.1, 1.2, "≤ +1 ms", False),
    ],
)
def test_target(pyox, ctkg, rule, met):
    assert target(pyox, ctkg) == (rule, met)
