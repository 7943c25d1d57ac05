"""Stage counters add up field by field."""

from dataclasses import dataclass

from vigil.tally import Tally


@dataclass
class Two(Tally):
    a: int = 0
    b: int = 0


def test_add_sums_every_field_in_place():
    total = Two(1, 2)
    assert total.add(Two(10, 20)) is total and total == Two(11, 22)
