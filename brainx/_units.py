"""Physical units at brainx's boundaries: brainunit Quantities in, plain numbers inside.

brainx computes on plain arrays. A Quantity given as a parameter, a time step, an
initial value, an input or a weight is converted once, where it enters, to its
mantissa in brainx's coherent unit system: millivolt, millisecond, milliampere, and
what they imply (siemens = mA/mV, ohm = mV/mA, millifarad = mA ms/mV, metre, mole,
kelvin). A unitless number is taken to be in those units already, so a model written
with units and the same model written without them run the same arithmetic.

brainunit is imported only by the user: a value can be a Quantity only if its module
is loaded, so nothing here imports it (``import brainunit`` imports jax).
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["is_quantity", "to_canonical", "from_canonical", "DIMENSIONS", "has_quantity",
           "dimension_of"]

# powers of ten of the unit system, per SI base dimension (m, kg, s, A, K, mol, cd):
# ms (s: 1e-3), mA (A: 1e-3), kg scaled by 1e-15 so that kg m^2 s^-3 A^-1 is the millivolt
_BASE_POWERS = (0, -15, -3, -3, 0, 0, 0)

#: expected dimensions, as SI exponents, with the unit brainx uses for each
DIMENSIONS: dict[str, tuple[tuple[int, ...], str]] = {
    "dimensionless": ((0, 0, 0, 0, 0, 0, 0), "1"),
    "time": ((0, 0, 1, 0, 0, 0, 0), "ms"),
    "frequency": ((0, 0, -1, 0, 0, 0, 0), "kHz (1/ms)"),
    "voltage": ((2, 1, -3, -1, 0, 0, 0), "mV"),
    "current": ((0, 0, 0, 1, 0, 0, 0), "mA"),
    "conductance": ((-2, -1, 3, 2, 0, 0, 0), "S (mA/mV)"),
    "resistance": ((2, 1, -3, -2, 0, 0, 0), "ohm (mV/mA)"),
    "capacitance": ((-2, -1, 4, 2, 0, 0, 0), "mF (mA ms/mV)"),
    "concentration": ((-3, 0, 0, 0, 0, 1, 0), "mol/m^3 (mM)"),
}


_found: dict[str, tuple[type, ...]] = {}


def _types(attribute: str) -> tuple[type, ...]:
    """brainunit's (or saiunit's) classes named ``attribute``, once a module is loaded."""
    cached = _found.get(attribute)
    if cached is not None:
        return cached
    types = []
    for module in ("brainunit", "saiunit"):
        loaded = sys.modules.get(module)
        cls = getattr(loaded, attribute, None) if loaded is not None else None
        if isinstance(cls, type) and cls not in types:
            types.append(cls)
    if types:  # cache only once found: brainunit may be imported later
        _found[attribute] = tuple(types)
    return tuple(types)


def _quantity_types() -> tuple[type, ...]:
    return _types("Quantity")


def is_quantity(x: Any) -> bool:
    """Whether ``x`` is a brainunit Quantity (never imports brainunit)."""
    types = _quantity_types()
    return bool(types) and isinstance(x, types)


def has_quantity(values: Any) -> bool:
    """Whether any of ``values`` is a Quantity."""
    types = _quantity_types()
    return bool(types) and any(isinstance(v, types) for v in values)


def _exponents(unit: Any) -> tuple[int, ...]:
    return tuple(int(e) for e in unit.dim._dims)


def _describe(exponents: tuple[int, ...]) -> str:
    for name, (dims, unit) in DIMENSIONS.items():
        if dims == exponents:
            return f"{name} ({unit})"
    names = ("m", "kg", "s", "A", "K", "mol", "cd")
    return " ".join(f"{n}^{e}" for n, e in zip(names, exponents, strict=True) if e) or "1"


def dimension_of(x: Any) -> str | None:
    """The key of ``DIMENSIONS`` naming the dimension of a Quantity (or a bare unit),
    ``"other"`` for a dimension not listed there, ``None`` for a unitless value.

    Examples
    --------
    >>> import brainunit as u
    >>> dimension_of(0.6 * u.mS), dimension_of(u.volt), dimension_of(0.6)
    ('conductance', 'voltage', None)
    """
    units = _types("Unit")
    if units and isinstance(x, units):
        x = 1.0 * x
    if not is_quantity(x):
        return None
    exponents = _exponents(x.unit)
    for name, (dims, _) in DIMENSIONS.items():
        if dims == exponents:
            return name
    return "other"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def to_canonical(x: Any, expected: str | None = None, name: str = "value") -> Any:
    """``x`` as a plain number or array in brainx's unit system (``x`` itself if unitless).

    Parameters
    ----------
    x : Quantity, number or array
    expected : str, optional
        A key of ``DIMENSIONS``; a Quantity of another dimension raises ``ValueError``
        naming ``name``, the unit expected and the unit given.
    name : str
        The parameter, for the error message.

    Examples
    --------
    >>> to_canonical(0.5)
    0.5
    >>> import brainunit as u
    >>> to_canonical(20.0 * u.ms, "time", "tau"), to_canonical(0.6 * u.mS, "conductance", "g")
    (20.0, 0.0006)
    >>> to_canonical(2.0 * u.mV, "time", "tau")
    Traceback (most recent call last):
    ...
    ValueError: tau must be a time in ms, got 2. mV (a voltage (mV))
    """
    if not is_quantity(x):
        units = _types("Unit")
        if not (units and isinstance(x, units)):
            return x
        x = 1.0 * x  # a bare unit, such as CUBA(scale=u.volt)
    unit = x.unit
    exponents = _exponents(unit)
    if expected is not None:
        dims, shown = DIMENSIONS[expected]
        if exponents != dims:
            raise ValueError(f"{name} must be {_article(expected)} {expected} in {shown}, got "
                             f"{x} ({_article(_describe(exponents))} {_describe(exponents)})")
    power = unit.scale - sum(e * p for e, p in zip(exponents, _BASE_POWERS, strict=True))
    factor = float(unit.factor) * 10.0 ** power
    mantissa = x.mantissa
    if getattr(mantissa, "ndim", 0) == 0 and not hasattr(mantissa, "aval"):
        mantissa = float(mantissa)
    return mantissa if factor == 1.0 else mantissa * factor


def from_canonical(value: Any, like: Any) -> Any:
    """``value``, a number in brainx's unit system, as a Quantity in the unit of ``like``.

    Examples
    --------
    >>> import brainunit as u
    >>> from_canonical(0.5, 2.0 * u.volt)
    Quantity(0.0005, "V")
    """
    factor = to_canonical(1.0 * like.unit)
    return (value if factor == 1.0 else value / factor) * like.unit
