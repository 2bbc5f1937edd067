"""`NamedTuple` for heelcoach's immutable records, cheap to define.

`typing.NamedTuple` checks every field's annotation and compiles a `__new__` for each
class: about 0.15 ms a class, and the content model, planner and store define about 80
of them, all paid at every command's start-up. This class statement builds the same kind
of class (a tuple subclass with named fields, defaults, `_replace`, `_asdict`, `_fields`,
`_make`, the same repr, equality and pickling) without either step, in about a tenth of
the time. Type checkers see `typing.NamedTuple` itself, so every class is checked exactly
as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

__all__ = ["NamedTuple"]

# The class body's own entries, which are not copied onto the built class.
_BODY_ONLY = frozenset({"__annotations__", "__module__", "__qualname__", "__doc__"})
# Names a record cannot define: the built class needs its own (the set typing refuses).
_RESERVED = frozenset(
    {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
     "_make", "_replace", "_asdict", "_source"}
)  # fmt: skip


try:  # the C accessor namedtuple uses for its fields
    from _collections import _tuplegetter as _field_getter  # type: ignore[import-not-found]
except ImportError:  # another Python: a property does the same, a little slower
    from operator import itemgetter

    def _field_getter(index: int, doc: str) -> Any:
        return property(itemgetter(index), doc=doc)


def _binder(
    name: str, fields: tuple[str, ...], defaults: Mapping[str, object]
) -> Callable[[tuple[object, ...], dict[str, object]], tuple[object, ...]]:
    """The values in field order, from positional and keyword arguments and the defaults.

    Raises the TypeError a function call with the same arguments would.
    """
    count = len(fields)

    def bind(args: tuple[object, ...], kwargs: dict[str, object]) -> tuple[object, ...]:
        if len(args) > count:
            raise TypeError(
                f"{name}() takes {count} positional arguments but {len(args)} were given"
            )
        values: list[object] = list(args)
        missing = []
        for field in fields[len(args) :]:
            if field in kwargs:
                values.append(kwargs.pop(field))
            elif field in defaults:
                values.append(defaults[field])
            else:
                missing.append(field)
        if kwargs:
            extra = next(iter(kwargs))
            why = "multiple values for argument" if extra in fields else "an unexpected keyword"
            raise TypeError(f"{name}() got {why} {extra!r}")
        if missing:
            raise TypeError(f"{name}() missing required arguments: {', '.join(missing)}")
        return tuple(values)

    return bind


def _methods(
    name: str, fields: tuple[str, ...], defaults: Mapping[str, object]
) -> dict[str, object]:
    """The tuple protocol every record shares, bound to this record's fields."""
    bind = _binder(name, fields, defaults)
    count = len(fields)
    new_tuple = tuple.__new__

    def __new__(cls: type, *args: object, **kwargs: object) -> Any:
        if len(args) == count:  # the common case: every field given by position
            if kwargs:
                bind(args, kwargs)  # raises, naming the first keyword given twice
            return new_tuple(cls, args)
        return new_tuple(cls, bind(args, kwargs))

    def _make(cls: type, iterable: Iterable[object]) -> Any:
        values: tuple[object, ...] = new_tuple(cls, iterable)
        if len(values) != count:
            raise TypeError(f"Expected {count} arguments, got {len(values)}")
        return values

    def _replace(self: tuple[object, ...], **changes: object) -> Any:
        values = tuple(changes.pop(field, value) for field, value in zip(fields, self, strict=True))
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return new_tuple(type(self), values)

    def _asdict(self: tuple[object, ...]) -> dict[str, object]:
        return dict(zip(fields, self, strict=True))

    def __repr__(self: tuple[object, ...]) -> str:
        shown = ", ".join(f"{field}={value!r}" for field, value in zip(fields, self, strict=True))
        return f"{type(self).__name__}({shown})"

    def __getnewargs__(self: tuple[object, ...]) -> tuple[object, ...]:
        return tuple(self)

    return {
        "__new__": __new__,
        "_make": classmethod(_make),
        "_replace": _replace,
        "_asdict": _asdict,
        "__repr__": __repr__,
        "__getnewargs__": __getnewargs__,
    }


def _build(name: str, body: dict[str, Any]) -> type:
    """The record class a `class Name(NamedTuple): ...` statement describes."""
    fields = tuple(body.get("__annotations__", {}))
    defaults = {field: body[field] for field in fields if field in body}
    if defaults and list(defaults) != list(fields[len(fields) - len(defaults) :]):
        raise TypeError(f"{name}: a field without a default follows one with a default")
    clash = _RESERVED.intersection(body) | {f for f in fields if f.startswith("_")}
    if clash:
        raise AttributeError(f"{name}: cannot set {', '.join(sorted(clash))}")
    attributes: dict[str, Any] = _methods(name, fields, defaults)
    attributes.update({"__match_args__": fields, "_fields": fields, "_field_defaults": defaults})
    for index, field in enumerate(fields):
        attributes[field] = _field_getter(index, f"Alias for field number {index}")
    # The body's own methods and attributes win (a `__repr__` of its own, say), as in typing.
    attributes.update(
        (key, value) for key, value in body.items() if key not in _BODY_ONLY and key not in fields
    )
    attributes.update(
        {
            "__slots__": (),
            "__module__": body.get("__module__"),
            "__qualname__": body.get("__qualname__", name),
            "__doc__": body.get("__doc__") or f"{name}({', '.join(fields)})",
            "__annotations__": body.get("__annotations__", {}),
        }
    )
    return type(name, (tuple,), attributes)


class _RecordMeta(type):
    """Turns `class Name(NamedTuple)` into a record class instead of a subclass."""

    def __new__(mcs, name: str, bases: tuple[type, ...], body: dict[str, Any]) -> type:
        if not bases:  # `NamedTuple` itself, below
            return super().__new__(mcs, name, bases, body)
        if bases != (_NamedTuple,):
            raise TypeError(f"{name}: a record can only derive from NamedTuple")
        return _build(name, body)


class _NamedTuple(metaclass=_RecordMeta):
    """Derive from this (as `NamedTuple`) to define a record; see the module docstring."""


if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    NamedTuple = _NamedTuple
