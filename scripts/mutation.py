#!/usr/bin/env python
"""Mutation testing of the calendar, the policy durations and the obligations rules.

A self-contained, standard-library-only mutation harness (in the spirit of mutmut). It is
run by hand, not in every CI run::

    python scripts/mutation.py                       # every mutant, one at a time
    python scripts/mutation.py --jobs 2              # two workers in parallel
    python scripts/mutation.py --module calendar --limit 20   # a quick deterministic sample
    python scripts/mutation.py --list                # list the mutants, run nothing

For each mutant the target file is rewritten with one small change (a comparison swapped, a
constant nudged, ``and`` turned into ``or``...), the relevant tests are run with
``python -m pytest -x -q -p no:cacheprovider --hypothesis-seed=0`` and
``CW_HYPOTHESIS_PROFILE=mutation``, and the original is restored. A mutant is *killed* when
the tests fail (any non-zero exit, or a timeout) and *survives* when they pass.

By default each worker copies the tree (without ``.git`` and caches) to a temporary directory
and mutates its copy, with ``PYTHONPATH`` pointing at the copy's ``src``: nobody else working
in the checkout ever sees a mutant, and the tests are the ones present at start. With
``--in-place`` (one job only) the mutant is written over the file in this checkout instead
(the package is installed editable), for as short a time as one test run, and restored in a
``finally`` (SIGTERM and SIGHUP included), and only if the file still holds our mutant.
Either way a test that already fails unmutated (someone mid-edit) is reported and deselected.

Operators: comparison swaps (``<``/``<=``, ``>``/``>=``, ``==``/``!=``, ``is``/``is not``,
``in``/``not in``), ``+``/``-`` (also ``+=``/``-=``), ``*``/``//`` (not on strings), integer
constants (0 -> 1, 1 -> 0, n -> n + 1), ``True``/``False``, ``and``/``or``, dropping a ``not``,
``return X`` -> ``return None``, ``max``/``min``, and string literals only where they are
compared (``==``, ``!=``, ``in``, ``not in``, ``case``). Never mutated: docstrings,
``__all__``, type annotations and type aliases, ``raise`` statements (their messages),
f-strings, code under ``if TYPE_CHECKING:``, and lines marked ``# pragma: no mutate``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tokenize
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "src/complaint_workflow"

CALENDAR_TESTS = [
    "tests/test_calendar.py",
    "tests/test_policy.py",
    "tests/test_deadlines.py",
    "tests/test_hostile.py",  # the GOV.UK reader's hostile files
]
OBLIGATION_TESTS = ["tests/test_complaint.py", "tests/test_deadlines.py", "tests/test_personal.py"]
EXTRA_TEST_GLOBS = [
    "tests/test_boundaries*.py",
    "tests/test_properties*.py",
    "tests/test_model*.py",
]

MODULES: dict[str, list[str]] = {
    f"{PACKAGE}/calendar.py": CALENDAR_TESTS,
    f"{PACKAGE}/durations.py": CALENDAR_TESTS,
    f"{PACKAGE}/obligations.py": OBLIGATION_TESTS,
    f"{PACKAGE}/rules.py": [*OBLIGATION_TESTS, "tests/test_analysis_deadlines.py"],
}

PYTEST = ["-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--hypothesis-seed=0"]

COMPARE_SWAP: dict[type[ast.cmpop], str] = {
    ast.Lt: "<=",
    ast.LtE: "<",
    ast.Gt: ">=",
    ast.GtE: ">",
    ast.Eq: "!=",
    ast.NotEq: "==",
    ast.Is: "is not",
    ast.IsNot: "is",
    ast.In: "not in",
    ast.NotIn: "in",
}
BINOP_SWAP: dict[type[ast.operator], str] = {
    ast.Add: "-",
    ast.Sub: "+",
    ast.Mult: "//",
    ast.FloorDiv: "*",
}


# --------------------------------------------------------------------------- mutants


@dataclasses.dataclass(frozen=True)
class Mutant:
    path: str  # relative to the repository root
    index: int  # position in the module's list
    line: int
    kind: str
    start: int  # character offsets into the original text
    end: int
    replacement: str

    @property
    def ident(self) -> str:
        return f"{Path(self.path).stem}#{self.index}"

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end :]

    def display(self, text: str) -> tuple[str, str]:
        """The original line(s) touched by the mutant and the same lines mutated."""
        a = text.rfind("\n", 0, self.start) + 1
        b = text.find("\n", self.end)
        b = len(text) if b < 0 else b
        before = text[a:b]
        after = text[a : self.start] + self.replacement + text[self.end : b]
        return _squash(before), _squash(after)


def _squash(code: str) -> str:
    return " ".join(part.strip() for part in code.splitlines() if part.strip())


class _Offsets:
    """Character offsets from (line, column) positions; AST columns are UTF-8 byte offsets."""

    def __init__(self, text: str) -> None:
        self.lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def from_ast(self, lineno: int, col_byte: int) -> int:
        line = self.lines[lineno - 1].encode("utf-8")
        return self.starts[lineno - 1] + len(line[:col_byte].decode("utf-8"))

    def from_token(self, row: int, col_char: int) -> int:
        return self.starts[row - 1] + col_char


class MutantFinder(ast.NodeVisitor):
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.off = _Offsets(text)
        self.tokens = [
            (self.off.from_token(*t.start), self.off.from_token(*t.end), t.type, t.string)
            for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type in (tokenize.OP, tokenize.NAME)
        ]
        self.no_mutate = {
            i + 1 for i, line in enumerate(self.off.lines) if "pragma: no mutate" in line
        }
        self.found: list[tuple[int, int, int, str, str]] = []

    # -- helpers

    def _start(self, node: ast.AST) -> int:
        return self.off.from_ast(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def _end(self, node: ast.AST) -> int:
        return self.off.from_ast(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def _line_of(self, offset: int) -> int:
        lo, hi = 0, len(self.off.starts) - 1
        while lo < hi - 1:
            mid = (lo + hi) // 2
            if self.off.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid
        return lo + 1

    def _add(self, start: int, end: int, kind: str, replacement: str) -> None:
        line = self._line_of(start)
        if line in self.no_mutate:
            return
        self.found.append((line, start, end, kind, replacement))

    def _op_tokens(self, lo: int, hi: int, names: tuple[str, ...] = ()) -> tuple[int, int] | None:
        """The span of the operator tokens strictly between two operands (parentheses aside)."""
        span = [
            (s, e)
            for s, e, typ, string in self.tokens
            if lo <= s
            and e <= hi
            and string not in ("(", ")")
            and (typ == tokenize.OP or string in names)
        ]
        if not span:
            return None
        return span[0][0], span[-1][1]

    # -- things never mutated

    def visit_Raise(self, node: ast.Raise) -> None:
        return

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # a docstring (or an attribute docstring)
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            for stmt in node.orelse:
                self.visit(stmt)
            return
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if "TypeAlias" in ast.unparse(node.annotation):
            return
        if isinstance(node.target, ast.Name) and node.target.id == "__all__":
            return
        if node.value is not None:
            self.visit(node.value)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for deco in node.decorator_list:
            self.visit(deco)
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        for stmt in node.body:
            self.visit(stmt)

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for deco in node.decorator_list:
            self.visit(deco)
        for stmt in node.body:
            self.visit(stmt)

    # -- operators

    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        for i, op in enumerate(node.ops):
            span = self._op_tokens(
                self._end(operands[i]), self._start(operands[i + 1]), ("is", "not", "in")
            )
            if span is not None:
                self._add(*span, "compare", COMPARE_SWAP[type(op)])
        # String literals are mutated only where they are compared.
        if all(isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) for op in node.ops):
            for operand in operands:
                self._compared_strings(operand)
        self.generic_visit(node)

    def _compared_strings(self, node: ast.expr) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            self._add(self._start(node), self._end(node), "string", repr(f"XX{node.value}XX"))
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            for elt in node.elts:
                if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                    self._compared_strings(elt)

    def visit_MatchValue(self, node: ast.MatchValue) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            self._compared_strings(node.value)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        swap = BINOP_SWAP.get(type(node.op))
        on_strings = any(
            isinstance(x, ast.Constant) and isinstance(x.value, (str, bytes))
            for x in (node.left, node.right)
        )
        if swap is not None and not on_strings:
            span = self._op_tokens(self._end(node.left), self._start(node.right))
            if span is not None:
                self._add(*span, "arithmetic", swap)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        swap = BINOP_SWAP.get(type(node.op))
        if swap is not None:
            span = self._op_tokens(self._end(node.target), self._start(node.value))
            if span is not None:
                self._add(*span, "arithmetic", swap + "=")
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        other = "or" if isinstance(node.op, ast.And) else "and"
        mine = "and" if other == "or" else "or"
        for left, right in zip(node.values, node.values[1:], strict=False):
            span = self._op_tokens(self._end(left), self._start(right), (mine,))
            if span is not None:
                self._add(*span, "boolean", other)
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            start = self._start(node)
            if self.text.startswith("not", start):
                end = start + 3
                while end < len(self.text) and self.text[end] in " \t":
                    end += 1
                self._add(start, end, "not", "")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self._add(self._start(node), self._end(node), "boolean", repr(not value))
        elif isinstance(value, int):
            new = {0: 1, 1: 0}.get(value, value + 1)
            self._add(self._start(node), self._end(node), "number", repr(new))

    def visit_Return(self, node: ast.Return) -> None:
        value = node.value
        if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
            self._add(self._start(value), self._end(value), "return", "None")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id in ("max", "min"):
            other = "min" if node.func.id == "max" else "max"
            self._add(self._start(node.func), self._end(node.func), "max-min", other)
        self.generic_visit(node)


def find_mutants(path: str, text: str) -> list[Mutant]:
    finder = MutantFinder(path, text)
    finder.visit(ast.parse(text))
    out: list[Mutant] = []
    seen: set[str] = set()
    for line, start, end, kind, replacement in sorted(finder.found, key=lambda f: (f[1], f[2])):
        mutated = text[:start] + replacement + text[end:]
        if mutated == text or mutated in seen:
            continue
        try:
            compile(mutated, path, "exec")
        except SyntaxError:
            continue
        seen.add(mutated)
        out.append(Mutant(path, len(out), line, kind, start, end, replacement))
    return out


# --------------------------------------------------------------------------- running


@dataclasses.dataclass
class Result:
    mutant: Mutant
    killed: bool
    seconds: float
    how: str  # "failed", "timeout", "survived"


_mtime_lock = threading.Lock()
_mtime_next = [1_000_000_000 + (time.time_ns() // 1_000_000) % 50_000_000]


def _unique_mtime() -> int:
    """A fresh whole-second mtime for each mutant, so no cached bytecode is ever reused."""
    with _mtime_lock:
        _mtime_next[0] += 1
        return _mtime_next[0]


def _write(path: Path, text: str, mtime_ns: int) -> None:
    """Replace ``path`` atomically (readers see the old or the new file, never half of one)."""
    tmp = path.with_name(f".{path.name}.mutation-tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    shutil.copymode(path, tmp)
    os.utime(tmp, ns=(mtime_ns, mtime_ns))
    os.replace(tmp, path)


_running: set[subprocess.Popen[bytes]] = set()
_running_lock = threading.Lock()


def _kill_running() -> None:
    """Stop every test run this harness started (each is its own process group)."""
    with _running_lock:
        procs = list(_running)
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


class Workspace:
    """Where mutants are written and tests run: this checkout, or a private copy of it."""

    def __init__(self, root: Path, pycache: Path, private: bool) -> None:
        self.root = root
        self.private = private
        # Tests that already fail unmutated (someone is mid-edit), per target module.
        self.deselect: dict[str, list[str]] = {}
        self.env = dict(os.environ)
        self.env["CW_HYPOTHESIS_PROFILE"] = "mutation"
        self.env["PYTHONPYCACHEPREFIX"] = str(pycache)
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        if private:
            self.env["PYTHONPATH"] = os.pathsep.join(
                [str(root / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
            )

    def run_tests(
        self,
        tests: list[str],
        timeout: float,
        deselect: Sequence[str] = (),
        *,
        first_failure: bool = True,
        output: Path | None = None,
    ) -> tuple[int | None, float]:
        """Exit status (``None`` on timeout) and wall time of one test run."""
        args = [sys.executable, *PYTEST, *tests]
        if not first_failure:
            args.remove("-x")
        for node in deselect:
            args += ["--deselect", node] if "::" in node else ["--ignore", node]
        t0 = time.perf_counter()
        with contextlib.ExitStack() as stack:
            sink = (
                stack.enter_context(open(output, "w")) if output is not None else subprocess.DEVNULL
            )
            proc = subprocess.Popen(
                args,
                cwd=self.root,
                env=self.env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        with _running_lock:
            _running.add(proc)
        try:
            status: int | None = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            status = None
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        finally:
            with _running_lock:
                _running.discard(proc)
        return status, time.perf_counter() - t0

    def check_import(self) -> None:
        out = subprocess.run(
            [sys.executable, "-c", "import complaint_workflow as m; print(m.__file__)"],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not Path(out).resolve().is_relative_to((self.root / "src").resolve()):
            raise SystemExit(f"error: tests in {self.root} import complaint_workflow from {out}")


class Runner:
    def __init__(self, originals: dict[str, str], timeout: float) -> None:
        self.originals = originals
        self.timeout = timeout
        # (workspace root, relative path) -> (original, mutant, original mtime) while mutated
        self._dirty: dict[tuple[Path, str], tuple[str, str, int]] = {}
        self._lock = threading.Lock()

    def run(self, ws: Workspace, mutant: Mutant, tests: list[str]) -> Result:
        path = ws.root / mutant.path
        original = self.originals[mutant.path]
        current = path.read_text(encoding="utf-8")
        if current != original:
            raise SystemExit(
                f"error: {path} changed under the harness (someone edited it); stopping. "
                "Re-run when it is stable."
            )
        mtime = path.stat().st_mtime_ns
        key = (ws.root, mutant.path)
        mutated = mutant.apply(original)
        try:
            with self._lock:
                self._dirty[key] = (original, mutated, mtime)
            _write(path, mutated, _unique_mtime() * 1_000_000_000)
            status, seconds = ws.run_tests(tests, self.timeout, ws.deselect.get(mutant.path, []))
        finally:
            with self._lock:
                self._dirty.pop(key, None)
            _restore(path, original, mutated, mtime)
        if status is None:
            return Result(mutant, True, seconds, "timeout")
        return Result(mutant, status != 0, seconds, "failed" if status else "survived")

    def restore_all(self) -> None:
        with self._lock:
            dirty = list(self._dirty.items())
            self._dirty.clear()
        for (root, rel), (original, mutated, mtime) in dirty:
            _restore(root / rel, original, mutated, mtime)


def _restore(path: Path, original: str, mutated: str, mtime_ns: int) -> None:
    """Put ``original`` back, but only over our own mutant: never over someone else's edit."""
    current = path.read_text(encoding="utf-8")
    if current == original:
        return
    if current != mutated:
        raise SystemExit(
            f"error: {path} was edited by someone else while a mutant was in place; left "
            "as they wrote it (not restored). Check it by hand."
        )
    _write(path, original, mtime_ns)


def _baseline(
    ws: Workspace, tests: list[str], timeout: float, log: Path
) -> tuple[float, list[str]]:
    """Time the unmutated tests; tests already failing unmutated are deselected (and named)."""
    status, secs = ws.run_tests(tests, timeout)
    if status == 0:
        return secs, []
    ws.run_tests(tests, max(timeout, 600), first_failure=False, output=log)
    failing = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            node = line.split(" ", 1)[1].split(" - ", 1)[0].strip()
            failing.append(node)
    if not failing:
        raise SystemExit(f"error: the unmutated tests fail ({' '.join(tests)}); see {log}")
    status, secs = ws.run_tests(tests, timeout, failing)
    if status != 0:
        raise SystemExit(f"error: the unmutated tests fail even without {failing}; see {log}")
    return secs, failing


def _copy_tree(dest: Path) -> None:
    ignore = shutil.ignore_patterns(
        ".git",
        "__pycache__",
        ".hypothesis",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".venv",
        ".ci-venv",
        "*.egg-info",
        "build",
        "dist",
        "mutants",
    )
    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)


def tests_for(path: str) -> list[str]:
    tests = [t for t in MODULES[path] if (ROOT / t).exists()]
    for pattern in EXTRA_TEST_GLOBS:
        tests += sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(pattern))
    return list(dict.fromkeys(tests))


def _resolve_modules(names: list[str] | None) -> list[str]:
    if not names:
        return list(MODULES)
    chosen = []
    for name in names:
        matches = [m for m in MODULES if Path(m).stem == Path(name).stem]
        if not matches:
            raise SystemExit(
                f"error: unknown module {name!r}; choose from "
                + ", ".join(Path(m).stem for m in MODULES)
            )
        chosen += matches
    return list(dict.fromkeys(chosen))


def _git_diff_clean(paths: list[str]) -> bool:
    try:
        return subprocess.run(["git", "diff", "--quiet", "--", *paths], cwd=ROOT).returncode == 0
    except OSError:
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--module",
        action="append",
        metavar="NAME",
        help="calendar, durations or obligations (repeatable; default: all)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="run a deterministic sample of N mutants (over all chosen modules)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed for --limit sampling")
    parser.add_argument(
        "--only",
        action="append",
        metavar="ID",
        help="run only these mutants, e.g. calendar#19 (repeatable or comma-separated): "
        "re-checks a run's survivors after new tests",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="parallel workers, each in its own private copy of the tree",
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="write mutants over the files of this checkout (needs --jobs 1); "
        "by default they go into a private copy that nobody else sees",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds per mutant test run; a timeout counts as killed",
    )
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write results as JSON")
    args = parser.parse_args(argv)

    modules = _resolve_modules(args.module)
    dirty = [m for m in modules if not _git_diff_clean([m])]
    for m in dirty:
        print(
            f"note: {m} differs from git HEAD (someone changed it); its current content "
            "is the original for this run"
        )
    originals = {m: (ROOT / m).read_text(encoding="utf-8") for m in modules}
    mutants = {m: find_mutants(m, originals[m]) for m in modules}

    if args.limit is not None:
        pool = [mu for m in modules for mu in mutants[m]]
        keep = set(random.Random(args.seed).sample(pool, min(args.limit, len(pool))))
        mutants = {m: [mu for mu in mutants[m] if mu in keep] for m in modules}

    if args.only:
        wanted = {i.strip() for item in args.only for i in item.split(",") if i.strip()}
        known = {mu.ident for m in modules for mu in mutants[m]}
        if wanted - known:
            parser.error(f"unknown mutant ids: {', '.join(sorted(wanted - known))}")
        mutants = {m: [mu for mu in mutants[m] if mu.ident in wanted] for m in modules}

    if args.list:
        for m in modules:
            print(f"== {m}: {len(mutants[m])} mutants")
            for mu in mutants[m]:
                before, after = mu.display(originals[m])
                print(f"{mu.ident:16} {m}:{mu.line} [{mu.kind}]\n    - {before}\n    + {after}")
        return 0

    jobs = max(1, args.jobs)
    if args.in_place and jobs > 1:
        parser.error("--in-place runs one mutant at a time: use it with --jobs 1")
    with tempfile.TemporaryDirectory(prefix="cw-mutation-") as tmp:
        pycache = Path(tmp) / "pycache"
        if args.in_place:
            workspaces = [Workspace(ROOT, pycache, private=False)]
        else:
            workspaces = []
            for j in range(jobs):
                dest = Path(tmp) / f"tree{j}"
                _copy_tree(dest)
                for m in modules:  # the copies start from the same originals
                    (dest / m).write_text(originals[m], encoding="utf-8")
                workspaces.append(Workspace(dest, pycache, private=True))
        for ws in workspaces:
            ws.check_import()

        runner = Runner(originals, args.timeout)

        stopping = threading.Event()

        def on_term(signum: int, frame: object) -> None:
            stopping.set()
            _kill_running()  # the workers then restore their file at once
            raise KeyboardInterrupt(f"signal {signum}")

        signal.signal(signal.SIGTERM, on_term)
        signal.signal(signal.SIGHUP, on_term)

        results: dict[str, list[Result]] = {m: [] for m in modules}
        started = time.perf_counter()
        try:
            # Baseline: the unmutated tests must pass, and their time gives an estimate.
            # A test that already fails unmutated (someone is mid-edit) is deselected.
            total_estimate = 0.0
            baseline: dict[tuple[str, ...], tuple[float, list[str]]] = {}
            for m in modules:
                tests = tests_for(m)
                if tuple(tests) not in baseline:
                    log = Path(tempfile.gettempdir()) / f"cw-mutation-baseline-{Path(m).stem}.log"
                    baseline[tuple(tests)] = _baseline(workspaces[0], tests, args.timeout, log)
                secs, failing = baseline[tuple(tests)]
                for ws in workspaces:
                    ws.deselect[m] = failing
                total_estimate += secs * len(mutants[m]) / jobs
                print(
                    f"{m}: {len(mutants[m])} mutants; tests {' '.join(tests)} take "
                    f"{secs:.1f} s unmutated"
                )
                for node in failing:
                    print(f"  warning: {node} fails unmutated; deselected for this module")
            print(
                f"estimate: at most {total_estimate / 60:.1f} min with {jobs} job(s) "
                "(killed mutants usually stop early)",
                flush=True,
            )

            queue = [(m, mu) for m in modules for mu in mutants[m]]
            done = 0
            free = list(workspaces)
            free_lock = threading.Lock()

            def work(item: tuple[str, Mutant]) -> Result:
                m, mu = item
                if stopping.is_set():
                    raise KeyboardInterrupt("stopping")
                with free_lock:
                    ws = free.pop()
                try:
                    return runner.run(ws, mu, tests_for(m))
                finally:
                    with free_lock:
                        free.append(ws)

            with ThreadPoolExecutor(max_workers=jobs) as executor:
                for result in executor.map(work, queue):
                    results[result.mutant.path].append(result)
                    done += 1
                    mark = "killed" if result.killed else "SURVIVED"
                    if result.how == "timeout":
                        mark = "killed (timeout)"
                    print(
                        f"[{done}/{len(queue)}] {result.mutant.ident} "
                        f"{result.mutant.path}:{result.mutant.line} "
                        f"[{result.mutant.kind}] {mark} {result.seconds:.1f}s",
                        flush=True,
                    )
        except KeyboardInterrupt:
            stopping.set()
            _kill_running()
            print("interrupted; restoring the originals", file=sys.stderr)
            raise
        finally:
            runner.restore_all()

        if args.in_place:
            # Someone may have broken a test while we ran, which would "kill" every mutant.
            for subset, (_, failing) in baseline.items():
                status, _ = workspaces[0].run_tests(list(subset), args.timeout, failing)
                if status != 0:
                    print(
                        f"warning: the unmutated tests {' '.join(subset)} fail now; "
                        "results after the change are not trustworthy",
                        file=sys.stderr,
                    )

    elapsed = time.perf_counter() - started
    _report(modules, originals, results, elapsed, jobs)
    deselected = {m: workspaces[0].deselect.get(m, []) for m in modules}
    for m, nodes in deselected.items():
        for node in nodes:
            print(f"note: {node} failed unmutated and was deselected for {m}")
    if args.json is not None:
        data = {
            "modules": _as_json(modules, originals, results),
            "tests": {m: tests_for(m) for m in modules},
            "deselected": deselected,
            "minutes": round(elapsed / 60, 1),
            "jobs": jobs,
            "in_place": args.in_place,
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n")
    clean = all((ROOT / m).read_text(encoding="utf-8") == originals[m] for m in modules)
    print(
        f"originals restored: {'yes' if clean else 'NO'}; "
        f"git diff clean: {'yes' if _git_diff_clean(modules) else 'no (see notes above)'}"
    )
    return 0


def _iter_rows(
    modules: list[str], results: dict[str, list[Result]]
) -> Iterator[tuple[str, int, int, int]]:
    for m in modules:
        rs = results[m]
        killed = sum(r.killed for r in rs)
        yield m, len(rs), killed, len(rs) - killed


def _score(killed: int, total: int) -> str:
    return f"{100 * killed / total:.1f}%" if total else "n/a"


def _report(
    modules: list[str],
    originals: dict[str, str],
    results: dict[str, list[Result]],
    elapsed: float,
    jobs: int,
) -> None:
    print()
    print(f"{'module':44} {'mutants':>8} {'killed':>7} {'survived':>9} {'score':>7}")
    t_all = k_all = 0
    for m, total, killed, survived in _iter_rows(modules, results):
        t_all += total
        k_all += killed
        print(f"{m:44} {total:8} {killed:7} {survived:9} {_score(killed, total):>7}")
    print(f"{'TOTAL':44} {t_all:8} {k_all:7} {t_all - k_all:9} {_score(k_all, t_all):>7}")
    print(f"({elapsed / 60:.1f} min, {jobs} job(s))")
    survivors = [r for m in modules for r in results[m] if not r.killed]
    if survivors:
        print("\nsurvivors:")
        for r in survivors:
            before, after = r.mutant.display(originals[r.mutant.path])
            print(f"{r.mutant.ident:16} {r.mutant.path}:{r.mutant.line} [{r.mutant.kind}]")
            print(f"    - {before}\n    + {after}")


def _as_json(
    modules: list[str], originals: dict[str, str], results: dict[str, list[Result]]
) -> dict[str, object]:
    out: dict[str, object] = {}
    for m in modules:
        rows = []
        for r in results[m]:
            before, after = r.mutant.display(originals[m])
            rows.append(
                {
                    "id": r.mutant.ident,
                    "line": r.mutant.line,
                    "kind": r.mutant.kind,
                    "killed": r.killed,
                    "how": r.how,
                    "seconds": round(r.seconds, 2),
                    "before": before,
                    "after": after,
                }
            )
        out[m] = rows
    return out


if __name__ == "__main__":
    sys.exit(main())
