"""The layer rule of DESIGN §1, checked with ``ast`` over every module under ``src/nuem``.

Each top-level unit of the package (a sub-package such as ``nuem.rates`` or a single module such as
``nuem.units``) stands in one layer (:data:`LAYERS`, documented in docs/layers.md). A module may
import

* anything in its own unit (``nuem.rates.response`` -> ``nuem.rates.cache``);
* any unit of a lower layer;
* a *different* unit of its own layer only where the pair is listed in :data:`SAME_LAYER_ALLOWED`.

Every import counts: ``import nuem.x``, ``from nuem.x import y``, relative imports, imports inside
functions (lazy imports are still dependencies) and attribute chains through an imported module
(``import nuem`` then ``nuem.stats.fit``).

Private names: a name ``_x`` (not a dunder) owned by a module or package may be used only from the
package folder that owns it, or a folder below it.
``from nuem.theory.moments import _as_moment_array``
is fine inside ``nuem/theory/``, an error in ``nuem/rates/``; ``nuem._validate`` belongs to the
folder ``nuem/`` and so serves every module. Binding a public module to a private alias
(``from nuem.xsec import atomic as _atomic``) is fine.

Known violations that another change will remove are listed, with the reason, in
:data:`KNOWN_VIOLATIONS`; they are reported but do not fail, and an entry that no longer matches
anything fails, so the list only shrinks.
"""

from __future__ import annotations

import ast
import functools
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "nuem"

ROOT = "__init__"  # the unit name of nuem/__init__.py itself

# Top-level unit of nuem -> layer. A new top-level package or module must be added here.
LAYERS: dict[str, int] = {
    # 0: foundations. nuem/__init__.py only defines __version__ (cache keys and LimitResult
    # provenance read it); if it ever re-exports from higher layers it must move up, and then
    # the `import nuem` in rates/ and limits/ is reported.
    ROOT: 0,
    "errors": 0,
    "_validate": 0,
    "constants": 0,
    "units": 0,
    "nufit": 0,
    "mixing": 0,  # PMNS matrix, shared by sources (MSW) and theory (theory.pmns re-exports it)
    # 1: physics ingredients
    "theory": 1,
    "xsec": 1,
    "sources": 1,
    # 2: detector description and dataset cards
    "detectors": 2,
    "experiments": 2,
    # 3: the rates engine
    "rates": 3,
    # 4: statistics and non-laboratory bounds
    "stats": 4,
    "astro": 4,
    "cosmo": 4,
    # 5: results (limits, global fit of the moment matrix), scans, catalogue
    "limits": 5,
    "scan": 5,  # the (M_N, mu) portal scan: limits per mass with nuem.limits' statistics
    "catalog": 5,  # published limits as package data
    # 6: user-facing
    "plot": 6,
    "cli": 6,
    "__main__": 6,  # `python -m nuem`: runs the CLI
}

# (importer unit, target unit) pairs of the same layer that may import each other. Directed: the
# reverse is not allowed (the graph must stay acyclic, test_same_layer_allowlist_is_sane).
SAME_LAYER_ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        # layer 0 is a small ordered stack: errors < constants < units < _validate < nufit < mixing
        ("constants", "errors"),  # constants.provenance raises NuemInputError
        ("_validate", "errors"),
        ("units", "constants"),  # mu_B from the electron mass
        ("units", "errors"),  # units.parse raises NuemInputError
        ("nufit", "units"),
        ("nufit", "_validate"),
        ("mixing", "nufit"),
        ("mixing", "_validate"),
        # layer 1: the cross sections evaluate the one hypothesis type of nuem.theory.hypothesis
        ("xsec", "theory"),
        # layer 2: a dataset card is built from detector pieces (bins, efficiency, resolution,
        # targets)
        ("experiments", "detectors"),
        # layer 4: cosmology uses the N lifetime and the excluded-band type of nuem.astro
        ("cosmo", "astro"),
        # layer 5: the portal scan runs nuem.limits' likelihoods and statistics at each N mass
        ("scan", "limits"),
        # layer 6: the CLI draws figures; the entry point runs the CLI
        ("cli", "plot"),
        ("__main__", "cli"),
    }
)
# Not allowed on purpose: theory <-> xsec <-> sources (layer 1 units are independent; what they
# share lives in layer 0, e.g. nuem.mixing), stats <-> astro, stats <-> cosmo; limits -> scan;
# catalog and limits/scan either way.

# Violations tolerated for now: (file relative to src/nuem, imported dotted name) -> reason.
# An entry that no longer occurs makes test_known_violations_still_exist fail: delete it then.
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {
    # none at present
}


# --------------------------------------------------------------------------------------------
# the checker
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. "nuem.rates.response"
    path: Path
    rel: str  # path relative to the package folder, e.g. "rates/response.py"
    is_package: bool  # an __init__.py

    @property
    def package(self) -> str:
        """The package folder the module lives in, as a dotted name."""
        return self.name if self.is_package else self.name.rpartition(".")[0]


@dataclass(frozen=True)
class Violation:
    kind: str  # "layer", "unknown", "private"
    rel: str
    line: int
    target: str  # the imported dotted name
    message: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.rel, self.target)

    def __str__(self) -> str:
        return f"src/nuem/{self.rel}:{self.line}: {self.message}"


def unit_of(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else ROOT


def describe(dotted: str, layers: dict[str, int]) -> str:
    unit = unit_of(dotted)
    layer = layers.get(unit)
    return f"{dotted} (layer {'?' if layer is None else layer}, {unit!r})"


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def discover(root: Path) -> dict[str, Module]:
    """Every .py file under ``root`` (the ``nuem`` package folder), keyed by dotted name."""
    top = root.name
    modules = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        parts = [top, *rel.with_suffix("").parts]
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        name = ".".join(parts)
        modules[name] = Module(name, path, rel.as_posix(), is_package)
    return modules


class _Imports(ast.NodeVisitor):
    """Collects (line, dotted target) for every import of the package and every attribute chain
    through a name bound to one of its modules."""

    def __init__(self, module: Module, modules: dict[str, Module], top: str):
        self.module, self.modules, self.top = module, modules, top
        self.aliases: dict[str, str] = {}  # local name -> dotted path it is bound to
        # (line, dotted path, the module an attribute chain starts from, or None for an import)
        self.found: list[tuple[int, str, str | None]] = []

    def _ours(self, dotted: str) -> bool:
        return dotted == self.top or dotted.startswith(self.top + ".")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if not self._ours(alias.name):
                continue
            self.found.append((node.lineno, alias.name, None))
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                self.aliases[alias.name.partition(".")[0]] = self.top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base_parts = self.module.package.split(".")
            base_parts = base_parts[: len(base_parts) - (node.level - 1)]
            base = ".".join([*base_parts, *([node.module] if node.module else [])])
        else:
            base = node.module or ""
        if not self._ours(base):
            return
        for alias in node.names:
            if alias.name == "*":
                self.found.append((node.lineno, base, None))
                continue
            full = f"{base}.{alias.name}"
            self.found.append((node.lineno, full, None))
            self.aliases[alias.asname or alias.name] = full

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attrs = []
        base: ast.expr = node
        while isinstance(base, ast.Attribute):
            attrs.append(base.attr)
            base = base.value
        if isinstance(base, ast.Name) and base.id in self.aliases:
            bound = self.aliases[base.id]
            if bound in self.modules:  # a module, not a class or function
                self.found.append((node.lineno, ".".join([bound, *reversed(attrs)]), bound))
        else:
            self.visit(base)


def module_prefix(dotted: str, modules: dict[str, Module]) -> str:
    """The longest prefix of ``dotted`` that is a module or package."""
    parts = dotted.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in modules:
            return prefix
    return parts[0]


def check(
    root: Path,
    layers: dict[str, int] = LAYERS,
    allowed: frozenset[tuple[str, str]] = SAME_LAYER_ALLOWED,
) -> list[Violation]:
    """All layer, unknown-unit and private-name violations of the package at ``root``."""
    modules = discover(root)
    top = root.name
    out: list[Violation] = []
    for mod in modules.values():
        src_unit = unit_of(mod.name)
        src_layer = layers.get(src_unit)
        if src_layer is None:
            out.append(
                Violation(
                    "unknown",
                    mod.rel,
                    1,
                    mod.name,
                    f"{mod.name}: top-level unit {src_unit!r} has no layer; add it to LAYERS "
                    "in tests/test_layering.py and to docs/layers.md",
                )
            )
        visitor = _Imports(mod, modules, top)
        visitor.visit(ast.parse(mod.path.read_text(encoding="utf-8"), str(mod.path)))
        seen = set()
        for line, dotted, chain_base in visitor.found:
            target = module_prefix(dotted, modules)
            # an attribute chain is a new dependency only if it reaches a module below its base
            # (`import nuem` then `nuem.stats.fit`), not for `u.MeV`
            new_dependency = chain_base is None or target != module_prefix(chain_base, modules)
            # --- layers
            dst_unit = unit_of(target)
            dst_layer = layers.get(dst_unit)
            key = (line, target)
            if new_dependency and dst_unit != src_unit and key not in seen:
                seen.add(key)
                head = f"{describe(mod.name, layers)} imports {describe(dotted, layers)}"
                if dst_layer is None:
                    out.append(Violation("unknown", mod.rel, line, dotted, f"{head}: unknown unit"))
                elif src_layer is None:
                    pass  # already reported for the importer
                elif dst_layer > src_layer:
                    out.append(Violation("layer", mod.rel, line, dotted, f"{head}: upward import"))
                elif dst_layer == src_layer and (src_unit, dst_unit) not in allowed:
                    out.append(
                        Violation(
                            "layer",
                            mod.rel,
                            line,
                            dotted,
                            f"{head}: same layer, ({src_unit!r}, {dst_unit!r}) is not in "
                            "SAME_LAYER_ALLOWED",
                        )
                    )
            # --- private names
            parts = dotted.split(".")
            for i in range(1, len(parts)):
                if not is_private(parts[i]):
                    continue
                owner = modules.get(".".join(parts[:i]))
                if owner is None:
                    break  # owned by a class or function: not a module's private name
                folder = owner.package
                here = mod.package
                if here != folder and not here.startswith(folder + "."):
                    out.append(
                        Violation(
                            "private",
                            mod.rel,
                            line,
                            dotted,
                            f"{mod.name} (in {here.replace('.', '/')}/) reaches into private "
                            f"{parts[i]!r} of {owner.name} (owned by {folder.replace('.', '/')}/)",
                        )
                    )
                break
    return sorted(set(out), key=lambda v: (v.rel, v.line, v.target, v.kind))


@functools.cache
def _current() -> tuple[Violation, ...]:
    return tuple(check(SRC))


def _fail_unless_known(kind: str) -> None:
    found = [v for v in _current() if v.kind == kind]
    new = [v for v in found if v.key not in KNOWN_VIOLATIONS]
    known = [v for v in found if v.key in KNOWN_VIOLATIONS]
    for v in known:
        print(f"known violation ({KNOWN_VIOLATIONS[v.key]}): {v}")
    if new:
        pytest.fail(
            f"{len(new)} {kind} violation(s) (see docs/layers.md):\n"
            + "\n".join(f"  {v}" for v in new),
            pytrace=False,
        )


# --------------------------------------------------------------------------------------------
# the rules on the package
# --------------------------------------------------------------------------------------------


def test_every_unit_has_a_layer():
    _fail_unless_known("unknown")


def test_imports_respect_layers():
    _fail_unless_known("layer")


def test_no_reaching_into_private_names():
    _fail_unless_known("private")


def test_known_violations_still_exist():
    current = {v.key for v in _current()}
    stale = sorted(set(KNOWN_VIOLATIONS) - current)
    assert not stale, "KNOWN_VIOLATIONS entries that no longer occur (delete them): " + ", ".join(
        f"{rel} -> {name}" for rel, name in stale
    )


def test_same_layer_allowlist_is_sane():
    for a, b in SAME_LAYER_ALLOWED:
        assert a in LAYERS and b in LAYERS, (a, b)
        assert LAYERS[a] == LAYERS[b], f"({a!r}, {b!r}) are not in the same layer"
        assert a != b
    # acyclic: no unit can reach itself through allowed same-layer edges
    graph: dict[str, set[str]] = {}
    for a, b in SAME_LAYER_ALLOWED:
        graph.setdefault(a, set()).add(b)

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    cyclic = sorted(u for u in graph if u in reach(u))
    assert not cyclic, f"SAME_LAYER_ALLOWED has a cycle through {cyclic}"


def test_every_file_is_parsed():
    # guards against a silent no-op (wrong SRC, empty glob)
    assert len(discover(SRC)) > 50
    assert "nuem.rates.response" in discover(SRC)


# --------------------------------------------------------------------------------------------
# the checker on a small synthetic package, so that a green run means something
# --------------------------------------------------------------------------------------------

_FAKE = {
    "__init__.py": "",
    "low/__init__.py": "",
    "low/a.py": "_hidden = 1\npublic = 2\n",
    "low/_impl.py": "x = 1\n",
    "low/b.py": "from nuem.low.a import _hidden\nfrom . import _impl\n",  # same folder: fine
    "low/peer.py": "from nuem.mid import m\n",  # upward, via absolute from-import
    "side/__init__.py": "import nuem.low.a\n",  # same layer, not allowed
    "mid/__init__.py": "",
    "mid/m.py": textwrap.dedent(
        """
        import nuem
        import nuem.low.a as la
        from nuem.low import a as _a_alias
        from nuem.low.a import _hidden
        from nuem.low import _impl
        from ..low import b

        def f():
            from ..high import h
            return la._hidden, _a_alias.public, nuem.high.h
        """
    ),
    "high/__init__.py": "",
    "high/h.py": "from ..mid import m\n",
    "stray/__init__.py": "",
}
_FAKE_LAYERS = {ROOT: 0, "low": 1, "side": 1, "mid": 2, "high": 3}


def test_checker_on_synthetic_package(tmp_path):
    root = tmp_path / "nuem"
    for rel, text in _FAKE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    got = {(v.kind, v.rel, v.line, v.target) for v in check(root, _FAKE_LAYERS, frozenset())}
    assert got == {
        ("layer", "low/peer.py", 1, "nuem.mid.m"),
        ("layer", "side/__init__.py", 1, "nuem.low.a"),
        ("private", "mid/m.py", 5, "nuem.low.a._hidden"),
        ("private", "mid/m.py", 6, "nuem.low._impl"),
        ("layer", "mid/m.py", 10, "nuem.high.h"),  # lazy relative import
        ("private", "mid/m.py", 11, "nuem.low.a._hidden"),  # attribute through a module alias
        ("layer", "mid/m.py", 11, "nuem.high.h"),  # attribute chain from `import nuem`
        ("unknown", "stray/__init__.py", 1, "nuem.stray"),
    }
    # the pair, once allowed, is no longer reported
    allowed = check(root, _FAKE_LAYERS, frozenset({("side", "low")}))
    assert not [v for v in allowed if v.rel == "side/__init__.py"]
    # messages carry file:line and both layers
    msg = str(next(v for v in check(root, _FAKE_LAYERS) if v.rel == "low/peer.py"))
    assert msg.startswith("src/nuem/low/peer.py:1: ")
    assert "(layer 1, 'low')" in msg and "(layer 2, 'mid')" in msg
