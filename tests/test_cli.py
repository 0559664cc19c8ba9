"""The ``complaint-workflow`` command: output, JSON documents, exit codes, one line per error."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from complaint_workflow import cli
from complaint_workflow.cli import main

RECEIVED = ["--received", "2024-06-03T10:00+01:00", "--complainant", "adult"]


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def run(*argv: str, tty: bool = False) -> tuple[int, str, str]:
    out = io.StringIO()
    err = _Terminal() if tty else io.StringIO()
    old = sys.stderr
    sys.stderr = err
    try:
        status = main(list(argv), out=out)
    finally:
        sys.stderr = old
    return status, out.getvalue(), err.getvalue()


def one_line(err: str) -> None:
    assert err.count("\n") == 1, err
    assert err.startswith("complaint-workflow: error: "), err
    assert "Traceback" not in err


def subprocess_cli(*argv: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "complaint_workflow.cli", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------- output


def test_policy_show_lists_every_target() -> None:
    """``policy show`` prints each target with its timescale, strength and clause."""
    status, out, _ = run("policy", "show", "cafcass-web")
    assert status == 0
    for target_id in ("forward-to-cst", "contact", "early-resolution", "investigation"):
        assert target_id in out
    assert "1 week (7 calendar days) after receipt" in out
    assert "week_length" in out


def test_policy_diff_lists_the_differences() -> None:
    """``policy diff`` names what the web page changed."""
    status, out, _ = run("policy", "diff", "cafcass-2012", "cafcass-web")
    assert status == 0
    assert "targets.response" in out
    assert "targets.investigation" in out
    status, out, _ = run("policy", "diff", "cafcass-web", "cafcass-web")
    assert "the same" in out


def test_policy_show_reads_a_file(tmp_path: Path) -> None:
    """A .toml path works wherever an id does."""
    path = tmp_path / "p.toml"
    path.write_text('id = "mine"\nextends = "cafcass-2012"\n')
    status, out, _ = run("policy", "show", str(path))
    assert status == 0
    assert out.startswith("mine")


def test_demo_runs() -> None:
    """The README's main job runs and shows both policies."""
    status, out, _ = run("demo")
    assert status == 0
    assert "cafcass-2012" in out
    assert "cafcass-web" in out


def test_demo_save_writes_histories_that_replay(tmp_path: Path) -> None:
    """``demo --save DIR`` writes histories that ``replay`` reads, with no personal section."""
    status, out, _ = run("demo", "--save", str(tmp_path / "h"))
    assert status == 0
    files = sorted((tmp_path / "h").glob("*.json"))
    assert len(files) >= 10
    assert f"wrote {len(files)} histories" in out
    xmas = tmp_path / "h" / "XMAS-1-cafcass-web.json"
    assert json.loads(xmas.read_text("utf-8"))["personal"] is None
    status, out, err = run("replay", str(xmas), "--at", "2025-01-10T12:00Z")
    assert (status, err) == (0, "")
    assert out.startswith("XMAS-1: ")
    assert "obligations at 2025-01-10T12:00:00+00:00" in out


def test_readme_replay_example_works_as_written(tmp_path: Path) -> None:
    """Every ``complaint-workflow`` command in the README's shell examples exits 0 (run in a
    scratch folder, in order, so ``demo --save`` writes what ``replay`` reads)."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    commands = [
        line.strip().removeprefix("$ ").split()
        for line in readme.split("## Developing")[0].splitlines()
        if line.strip().removeprefix("$ ").startswith("complaint-workflow ")
    ]
    assert any(c[1] == "replay" for c in commands), commands
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        for argv in commands:
            if argv[1] == "simulate":
                continue  # covered below (and slow)
            status, _, err = run(*argv[1:])
            assert (status, err) == (0, ""), argv
    finally:
        os.chdir(old)


def test_help_describes_each_subcommand_with_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    """Every subcommand's ``--help`` has its paragraph and shows its defaults; ``diagram``
    lists the routes."""
    for name, spec in cli.COMMANDS.items():
        assert main([*name.split(), "--help"]) == 0
        text = " ".join(capsys.readouterr().out.split())
        assert " ".join(spec.description.split()) in text, name
    main(["deadlines", "--help"])
    assert "(default: cafcass-web)" in capsys.readouterr().out
    main(["simulate", "--help"])
    assert "(default: 2024-01-01)" in capsys.readouterr().out
    main(["diagram", "--help"])
    text = capsys.readouterr().out
    for route in ("intake", "procedure", "court", "feedback", "compliment"):
        assert route in text


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """``--version`` prints the package's version and exits 0."""
    from complaint_workflow import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"complaint-workflow {__version__}"


# --------------------------------------------------------------------- JSON


def _json(*argv: str) -> dict[str, object]:
    status, out, err = run(*argv, "--json")
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert isinstance(document, dict)
    return document


def test_every_json_document_names_its_schema(tmp_path: Path) -> None:
    """Each ``--json`` document carries ``schema`` = ``complaint-workflow/<kind>`` and a version."""
    run("demo", "--save", str(tmp_path))
    documents = {
        "deadlines": _json("deadlines", *RECEIVED),
        "replay": _json("replay", str(tmp_path / "XMAS-1-cafcass-web.json")),
        "policy-show": _json("policy", "show", "cafcass-web"),
        "policy-diff": _json("policy", "diff", "cafcass-2012", "cafcass-web"),
    }
    for kind, document in documents.items():
        assert document["schema"] == f"complaint-workflow/{kind}"
        assert document["schema_version"] == 1
    assert documents["deadlines"]["deemed_receipt"] == "2024-06-03"
    diff = documents["policy-diff"]["changes"]
    assert {"what", "a", "b"} <= set(diff[0])  # type: ignore[index]


def test_deadlines_json_agrees_with_the_table() -> None:
    """A breached obligation is ``"overdue": true`` in the JSON, and each status matches the
    table's."""
    argv = ["deadlines", *RECEIVED, "--route", "investigation", "--at", "2024-08-01T12:00+01:00"]
    status, table, _ = run(*argv)
    assert status == 0
    document = _json(*argv)
    obligations = document["obligations"]
    assert isinstance(obligations, list)
    statuses = {o["id"]: o["status"] for o in obligations}
    assert "breached" in statuses.values()
    for o in obligations:
        line = next(line for line in table.splitlines() if line.startswith(o["id"] + " "))
        assert o["status"] in line.split()
        if o["status"] == "breached":
            assert o["overdue"] is True


def test_deadlines_json_overdue_fix_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeded bug: using the obligation's own ``to_dict`` leaves a breach ``overdue: false``,
    which the agreement test above would catch."""
    monkeypatch.setattr(cli, "_obligation_json", lambda o: o.to_dict())
    argv = ["deadlines", *RECEIVED, "--route", "investigation", "--at", "2024-08-01T12:00+01:00"]
    obligations = _json(*argv)["obligations"]
    assert isinstance(obligations, list)
    assert any(o["status"] == "breached" and o["overdue"] is False for o in obligations)


# --------------------------------------------------------------------- exit codes


@pytest.mark.parametrize(
    "argv",
    [
        ["bogus"],
        [],
        ["policy", "diff", "cafcass-2012"],
        ["deadlines", "--complainant", "adult"],
        ["deadlines", "--received", "yesterday", "--complainant", "adult"],
        ["deadlines", "--received", "2024-06-03T10:00", "--complainant", "adult"],
        ["deadlines", *RECEIVED, "--hearing", "soon"],
        ["simulate", "--years", "0"],
        ["simulate", "--seed", "-1"],
        ["simulate", "--out", "x.xlsx"],
        ["diagram", "nowhere"],
        ["deadlines", *RECEIVED, "--no-such-flag"],
    ],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    """A malformed command line exits 2 with one line on stderr."""
    status, out, err = run(*argv)
    assert status == 2
    assert out == ""
    one_line(err)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["policy", "show", "cafcass-1999"], "unknown policy"),
        (["policy", "show", "/no/such/file.toml"], "cannot read"),
        (["deadlines", "--received", "2124-06-03T10:00Z", "--complainant", "adult"], "span"),
        (["deadlines", *RECEIVED, "--at", "2024-06-01T10:00Z"], "at must not be before"),
        (["replay", "/no/such/history.json"], "cannot read"),
        (["replay", "/"], "folder"),
    ],
)
def test_bad_data_exits_1(argv: list[str], message: str) -> None:
    """Bad data or a refused operation exits 1 with one line on stderr naming the problem."""
    status, _, err = run(*argv)
    assert status == 1
    one_line(err)
    assert message in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (
            b'{"schema": "complaint-workflow/history", "schema_version": 1, "policies": 3}',
            "policies",
        ),
        (
            b'{"schema": "complaint-workflow/history", "schema_version": 1, "policies": {"x": 5}}',
            "policies",
        ),
        (
            b'{"schema": "complaint-workflow/history", "schema_version": 1, "events": []}',
            "starts with complaint-opened",
        ),
        (b'{"schema": "complaint-workflow/history", "schema_version": 99}', "schema_version"),
        (b"not json", "not valid JSON"),
    ],
)
def test_replay_bad_files_exit_1(tmp_path: Path, content: bytes, message: str) -> None:
    """A history that cannot be read is one clear line and exit 1, never a traceback."""
    path = tmp_path / "history.json"
    path.write_bytes(content)
    status, _, err = run("replay", str(path))
    assert status == 1
    one_line(err)
    assert message in err


def test_a_fifo_is_refused_before_reading(tmp_path: Path) -> None:
    """A FIFO given as a history or a policy file is refused at once (reading would block)."""
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    for argv in (["replay", str(fifo)], ["policy", "show", str(fifo)]):
        status, _, err = run(*argv)
        assert status == 1
        one_line(err)
        assert "not a regular file" in err


def test_a_device_is_refused() -> None:
    """A character device (``/dev/zero`` never ends) is refused as a history."""
    status, _, err = run("replay", "/dev/zero")
    assert status == 1
    assert "not a regular file" in err


def test_ctrl_c_exits_130_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """A KeyboardInterrupt in a command exits 130 with one line."""

    def interrupted(args: object, out: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, "demo", cli.Command("demo", "d", "d", run=interrupted))
    status, _, err = run("demo")
    assert status == 130
    one_line(err)


def test_any_other_exception_is_one_line_without_its_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The last-resort handler names the error class, exits 1, and withholds the message."""

    def broken(args: object, out: object) -> int:
        raise RuntimeError("Jane Doe, 1 High Street")

    monkeypatch.setitem(cli.COMMANDS, "demo", cli.Command("demo", "d", "d", run=broken))
    status, _, err = run("demo")
    assert status == 1
    one_line(err)
    assert "RuntimeError" in err
    assert "Jane" not in err


def test_subprocess_exit_codes_and_stderr(tmp_path: Path) -> None:
    """As a real process: 0, 1, 2 and one stderr line each, never a traceback."""
    ok = subprocess_cli("policy", "show", "cafcass-web", "--json")
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["schema"] == "complaint-workflow/policy-show"
    refused = subprocess_cli("policy", "show", "nope")
    usage = subprocess_cli("deadlines", "--received", "nope", "--complainant", "adult")
    for proc, code in ((refused, 1), (usage, 2)):
        assert proc.returncode == code
        assert proc.stderr.startswith("complaint-workflow: error:")
        assert proc.stderr.count("\n") == 1
        assert "Traceback" not in proc.stderr


def test_subprocess_ctrl_c_exits_130(tmp_path: Path) -> None:
    """A real SIGINT while reading from a FIFO-free slow command exits 130 with no traceback."""
    import signal
    import time

    script = (
        "import time, complaint_workflow.cli as c\n"
        "def slow(args, out):\n"
        "    print('ready', flush=True)\n"
        "    time.sleep(30)\n"
        "    return 0\n"
        "c.COMMANDS['demo'] = c.Command('demo', 'd', 'd', run=slow)\n"
        "raise SystemExit(c.main(['demo']))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err == "complaint-workflow: error: interrupted\n"


def test_console_script_is_installed() -> None:
    """The ``complaint-workflow`` console script is installed and prints its version."""
    script = Path(sys.executable).parent / "complaint-workflow"
    if not script.exists():
        pytest.skip("package not installed as a console script in this interpreter")
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert proc.stdout.startswith("complaint-workflow ")


# --------------------------------------------------------------------- simulate


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One simulated year written as CSV and Parquet (with the JSON summary beside)."""
    folder = tmp_path_factory.mktemp("sim")
    for name in ("o.csv", "o.parquet"):
        status, out, err = run("simulate", "--seed", "1", "--out", str(folder / name), "--json")
        assert (status, err) == (0, "")
        (folder / f"{name}.json").write_text(out, "utf-8")
    return folder


def test_simulate_json_summary(simulated: Path) -> None:
    """``simulate --json`` prints a summary document with its schema and the counts."""
    document = json.loads((simulated / "o.csv.json").read_text("utf-8"))
    assert document["schema"] == "complaint-workflow/simulate"
    assert document["complaints"] > 1000
    assert sum(sum(v.values()) for v in document["statuses"].values()) == document["obligations"]


def test_csv_has_a_bom_and_keeps_the_section_sign(simulated: Path) -> None:
    """The CSV file starts with a UTF-8 BOM (Excel then reads it as UTF-8) and holds "§"."""
    raw = (simulated / "o.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "§" in raw.decode("utf-8-sig")


def test_parquet_keeps_dates_as_dates(simulated: Path) -> None:
    """Date columns are Arrow ``date32`` in the Parquet file; instants keep their zone."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(simulated / "o.parquet")
    assert schema.field("due").type == pa.date32()
    assert schema.field("deemed_receipt").type == pa.date32()
    received = schema.field("received_at").type
    assert pa.types.is_timestamp(received)
    assert received.tz == "Europe/London"


def test_out_dash_writes_csv_to_stdout() -> None:
    """``--out -`` writes the frame as CSV on stdout and nothing else."""
    status, out, err = run("simulate", "--seed", "2", "--out", "-")
    assert (status, err) == (0, "")
    header = out.splitlines()[0]
    assert header.startswith("policy,complaint_id,obligation_id,due")
    assert not out.startswith("\ufeff")


def test_progress_bar_only_on_a_terminal() -> None:
    """No bar (no carriage return) when stderr is not a terminal or with ``--quiet``; a bar
    that finishes the whole run when it is a terminal."""
    status, _, err = run("simulate", "--seed", "3", "--json")
    assert (status, err) == (0, "")
    status, _, err = run("simulate", "--seed", "3", "--json", "--quiet", tty=True)
    assert (status, err) == (0, "")
    status, _, err = run("simulate", "--seed", "3", "--json", tty=True)
    assert status == 0
    assert "\r" in err
    assert "simulating" in err
    assert "summarising" in err


def test_subprocess_progress_bar_follows_the_terminal() -> None:
    """As a real process: stderr on a pseudo-terminal gets the bar; stderr on a pipe gets
    nothing at all (no carriage returns in a redirected log)."""
    import fcntl
    import pty
    import struct
    import termios

    argv = ["simulate", "--seed", "4", "--json"]
    piped = subprocess_cli(*argv)
    assert piped.returncode == 0
    assert piped.stderr == ""
    import threading

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # 80 columns
    chunks: list[bytes] = []

    def drain() -> None:  # read while the child writes: a closed terminal loses what is unread
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child's end is closed: all read
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "complaint_workflow.cli", *argv],
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=300,
            check=False,
        )
    finally:
        os.close(follower)
        reader.join(timeout=10)
        os.close(leader)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["schema"] == "complaint-workflow/simulate"
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "\r" in shown
    assert "simulating" in shown


def test_a_rejected_event_in_a_history_exits_1(tmp_path: Path) -> None:
    """A history whose events cannot be applied in order is refused with exit 1."""
    run("demo", "--save", str(tmp_path))
    path = tmp_path / "XMAS-1-cafcass-web.json"
    document = json.loads(path.read_text("utf-8"))
    document["events"].append(dict(document["events"][-1], version=len(document["events"]) + 1))
    path.write_text(json.dumps(document), "utf-8")
    status, _, err = run("replay", str(path))
    assert status == 1
    one_line(err)


def test_an_extension_adds_its_own_subcommand(monkeypatch: pytest.MonkeyPatch) -> None:
    """A function in ``EXTENSIONS`` adds a parser to the top level; its handler runs with the
    same exit-code rules (a ComplaintWorkflowError exits 1 with one line)."""
    from complaint_workflow.errors import ComplaintWorkflowError

    def refuse(args: object, out: object) -> int:
        raise ComplaintWorkflowError("the store at x is locked")

    def add(commands: object) -> None:
        sub = commands.add_parser("locked", help="always refuses")  # type: ignore[attr-defined]
        sub.set_defaults(func=refuse)

    monkeypatch.setattr(cli, "EXTENSIONS", [add])
    status, _, err = run("locked")
    assert status == 1
    assert err == "complaint-workflow: error: the store at x is locked\n"
