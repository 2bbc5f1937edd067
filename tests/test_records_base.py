"""heelcoach's NamedTuple behaves as `typing.NamedTuple` does, at a fraction of the cost.

Each check builds the same record with both and compares what a caller can observe:
construction, defaults, errors, field access, `_replace`, `_asdict`, `_make`, repr,
equality, hashing, pickling, copying and pattern matching.
"""

from __future__ import annotations

import copy
import pickle
import typing
from collections.abc import Callable
from datetime import date

import pytest

from heelcoach.records_base import NamedTuple


class Light(NamedTuple):
    """A set as the history keeps it (a stand-in)."""

    exercise: str
    reps: int | None
    day: date
    side: str | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.exercise} x{self.reps}"

    def on(self, day: date) -> Light:
        return self._replace(day=day)


class Typed(typing.NamedTuple):
    """A set as the history keeps it (a stand-in)."""

    exercise: str
    reps: int | None
    day: date
    side: str | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.exercise} x{self.reps}"

    def on(self, day: date) -> Typed:
        return self._replace(day=day)


DAY = date(2026, 12, 1)
CALLS: list[tuple[tuple[object, ...], dict[str, object]]] = [
    (("heel-drop", 10, DAY), {}),
    (("heel-drop", 10, DAY, "left", "stairs"), {}),
    (("heel-drop",), {"reps": 10, "day": DAY}),
    ((), {"exercise": "bridge", "reps": None, "day": DAY, "note": "x"}),
]
BAD_CALLS: list[tuple[tuple[object, ...], dict[str, object]]] = [
    (("heel-drop",), {}),  # missing fields
    (("heel-drop", 10, DAY, "left", "x", "extra"), {}),  # too many
    (("heel-drop", 10, DAY), {"reps": 3}),  # given twice
    (("heel-drop", 10, DAY), {"colour": "red"}),  # no such field
    ((), {"reps": 3, "day": DAY}),  # missing the first
]


def both(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> tuple[tuple[object, ...], tuple[object, ...]]:
    return Light(*args, **kwargs), Typed(*args, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_construction_and_every_view_match(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    light, typed = both(args, kwargs)
    assert tuple(light) == tuple(typed)
    assert light == typed and hash(light) == hash(typed)
    assert repr(light) == repr(typed).replace("Typed(", "Light(")
    assert light._asdict() == typed._asdict()  # type: ignore[attr-defined]
    assert light.label == typed.label  # type: ignore[attr-defined]
    assert [light.exercise, light.reps, light.side] == [  # type: ignore[attr-defined]
        typed.exercise,  # type: ignore[attr-defined]
        typed.reps,  # type: ignore[attr-defined]
        typed.side,  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize(("args", "kwargs"), BAD_CALLS)
def test_wrong_arguments_fail_alike(args: tuple[object, ...], kwargs: dict[str, object]) -> None:
    with pytest.raises(TypeError):
        Typed(*args, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Light(*args, **kwargs)  # type: ignore[arg-type]


def test_class_attributes_match() -> None:
    assert Light._fields == Typed._fields
    assert Light._field_defaults == Typed._field_defaults
    assert Light.__match_args__ == Typed.__match_args__
    assert Light.__doc__ == Typed.__doc__
    assert typing.get_type_hints(Light) == typing.get_type_hints(Typed)
    assert Light.__module__ == Typed.__module__ == __name__
    assert issubclass(Light, tuple) and not hasattr(Light("a", 1, DAY), "__dict__")


def test_replace_make_and_methods() -> None:
    light = Light("heel-drop", 10, DAY)
    later = light.on(date(2026, 12, 2))
    assert later == Light("heel-drop", 10, date(2026, 12, 2)) and type(later) is Light
    assert Light._make(["bridge", 8, DAY, None, ""]) == Light("bridge", 8, DAY)
    with pytest.raises(ValueError):
        light._replace(colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Light._make(["bridge", 8])


def test_fields_cannot_be_changed() -> None:
    light = Light("heel-drop", 10, DAY)
    with pytest.raises(AttributeError):
        light.reps = 12  # type: ignore[misc]


@pytest.mark.parametrize(
    "duplicate", [copy.copy, copy.deepcopy, lambda r: pickle.loads(pickle.dumps(r))]
)
def test_copies_and_pickles_are_equal_records(duplicate: Callable[[Light], Light]) -> None:
    light = Light("heel-drop", 10, DAY, "left")
    again = duplicate(light)
    assert again == light and type(again) is Light


def test_pattern_matching_by_position() -> None:
    match Light("heel-drop", 10, DAY):
        case Light(exercise, reps):
            assert (exercise, reps) == ("heel-drop", 10)
        case _:
            pytest.fail("no match")


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError):

        class Broken(NamedTuple):
            first: int = 1
            second: int  # type: ignore[misc]

    with pytest.raises(TypeError):

        class TypedBroken(typing.NamedTuple):
            first: int = 1
            second: int  # type: ignore[misc]


def test_underscore_fields_are_refused_as_namedtuple_refuses_them() -> None:
    with pytest.raises((AttributeError, ValueError)):

        class Hidden(NamedTuple):
            _secret: int  # type: ignore[misc]


def test_a_record_s_own_repr_is_kept() -> None:
    class Shown(NamedTuple):
        day: date

        def __repr__(self) -> str:
            return f"the {self.day:%d %b}"

    assert repr(Shown(DAY)) == "the 01 Dec"


@pytest.mark.parametrize("name", ["_asdict", "_replace", "_fields", "_make"])
def test_the_tuple_protocol_cannot_be_redefined(name: str) -> None:
    with pytest.raises(AttributeError):
        NamedTuple.__class__("Broken", (NamedTuple,), {"__annotations__": {"a": "int"}, name: 1})
