"""The package facade: ``controlmap.__all__`` is sorted, unique, resolves, and every name has a runnable example.

Examples are ``>>>`` lines in the docstring of the object itself (of the defining module for a constant,
of the module for a namespace such as ``cm.decisions``); the suite runs them through ``--doctest-modules``.
The namespaces of the yearly cycle offer their ``controlmap.cycle`` modules by those modules' ``__all__``.
"""

from __future__ import annotations

import importlib
import inspect
import types
from pathlib import Path

import pytest

import controlmap as cm

#: constants cannot carry a docstring: the example lives in the docstring of the module that defines them
CONSTANT_HOME = {"INVERSE": "controlmap.enums", "NO_TERM": "controlmap.model"}

#: namespace -> the cycle modules whose ``__all__`` it offers (besides its own file readers, writers and use cases)
CYCLE_OF = {
    "decisions": ("decisions", "adopted", "decisions_file"),
    "isheet": ("isheet",),
    "review": ("review",),
    "sharing": ("sharing",),
    "survey": ("survey", "proposals"),
}


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff (RUF022) keeps ``__all__`` in: CONSTANTS, then Classes, then functions and modules."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def _has_example(name: str) -> bool:
    if name in CONSTANT_HOME:
        doc = importlib.import_module(CONSTANT_HOME[name]).__doc__ or ""
        return any(">>>" in line and name in line for line in doc.splitlines())
    return ">>>" in (getattr(cm, name).__doc__ or "")


def test_all_is_sorted_and_unique():
    assert cm.__all__ == sorted(cm.__all__, key=_isort_key)
    assert len(set(cm.__all__)) == len(cm.__all__)


def test_every_name_resolves_and_dir_lists_it():
    missing = [n for n in cm.__all__ if not hasattr(cm, n)]
    assert missing == []
    assert set(cm.__all__) <= set(dir(cm))


def test_no_two_names_are_the_same_object():
    by_id: dict[int, list[str]] = {}
    for name in cm.__all__:
        by_id.setdefault(id(getattr(cm, name)), []).append(name)
    assert [names for names in by_id.values() if len(names) > 1] == []


@pytest.mark.parametrize("name", cm.__all__)
def test_every_name_has_a_runnable_example(name):
    assert _has_example(name), f"{name}: add a >>> example to its docstring"


def test_constants_are_documented_where_they_are_defined():
    for name, module in CONSTANT_HOME.items():
        assert getattr(importlib.import_module(module), name) is getattr(cm, name)


@pytest.mark.parametrize("name", [n for n in cm.__all__ if inspect.isfunction(getattr(cm, n))])
def test_every_function_is_typed(name):
    sig = inspect.signature(getattr(cm, name))
    untyped = [p.name for p in sig.parameters.values() if p.annotation is inspect.Parameter.empty]
    assert sig.return_annotation is not inspect.Signature.empty, name
    assert untyped == [], (name, untyped)


def test_modules_in_all_are_modules_and_errors_share_one_base():
    for name in cm.__all__:
        obj = getattr(cm, name)
        if name.endswith("Error"):
            assert issubclass(obj, cm.ControlmapError), name
        if name.islower() and not callable(obj):
            assert isinstance(obj, types.ModuleType), name



@pytest.mark.parametrize("name", sorted(CYCLE_OF))
def test_cycle_namespaces_offer_their_modules_all(name):
    namespace = getattr(cm, name)
    for module_name in CYCLE_OF[name]:
        module = importlib.import_module(f"controlmap.cycle.{module_name}")
        assert [n for n in module.__all__ if n not in namespace.__all__] == [], module_name
        assert [n for n in module.__all__ if getattr(namespace, n) is not getattr(module, n)] == [], module_name
    assert len(set(namespace.__all__)) == len(namespace.__all__)
    assert [n for n in namespace.__all__ if not hasattr(namespace, n)] == []
    assert set(namespace.__all__) <= set(dir(namespace))


def test_scope_takes_a_scope_a_name_a_path_or_none(kg):
    from controlmap.scope import ScopeLike

    assert inspect.signature(cm.gaps).parameters["scope"].annotation == "ScopeLike"
    assert set(ScopeLike.__args__) == {cm.Scope, str, Path, type(None)}
    path = Path(__file__).resolve().parents[1] / "data" / "scope" / "juki_net.yaml"
    scoped = [[c.id for c in cm.gaps(kg, "mic", ["jisq15001"], scope=s).candidates]
              for s in ("juki_net", path, str(path), kg.scope("juki_net"))]
    unscoped = {c.id for c in cm.gaps(kg, "mic", ["jisq15001"], scope=None).candidates}
    assert all(ids == scoped[0] for ids in scoped)
    assert set(scoped[0]) < unscoped  # the scope's exclusions leave candidates out
