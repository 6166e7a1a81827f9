"""`orgnet shell` driven through a pseudo-terminal: a query, :schema, :run, a syntax error,
paging and exit; and the Shell logic without a terminal."""

from __future__ import annotations

import io
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from orgnet._shell import Shell, history_path, is_complete

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]|\r")


class Pty:
    """A child process on a pseudo-terminal, read until some text shows."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import pty

        self.master, slave = pty.openpty()
        os.set_blocking(self.master, False)
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     close_fds=True, start_new_session=True)
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 60) -> str:
        end = time.monotonic() + timeout
        while text not in _ANSI.sub("", self.seen):
            left = end - time.monotonic()
            if left <= 0 or (self.proc.poll() is not None and not self._read(0.2)):
                pytest.fail(f"did not see {text!r}; got:\n{_ANSI.sub('', self.seen)[-2000:]}")
            self._read(min(left, 0.5))
        clean = _ANSI.sub("", self.seen)
        end_at = clean.index(text) + len(text)
        self.seen = clean[end_at:]  # what came after stays for the next expect
        return clean[:end_at]

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.seen += data.decode("utf-8", "replace")
        return bool(data)

    def send(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8"))

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=30)
        finally:
            os.close(self.master)


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ORGNET_"))}
    env.update(HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path / "state"), TERM="xterm",
               COLUMNS="120", LINES="40", PROMPT_TOOLKIT_NO_CPR="1")
    return env


def test_shell_through_a_pty(tiny_db, shell_env, tmp_path) -> None:
    term = Pty([sys.executable, "-m", "orgnet", "shell", "--db", str(tiny_db),
                "--page-size", "2"], shell_env)
    try:
        term.expect("orgnet>")
        # a query on two lines: the first Enter continues, the ';' ends it
        term.send("MATCH (t:Territory) WHERE t.kind = 'grid'\r")
        term.expect("...>")
        term.send("RETURN t.id AS id, t.name AS name ORDER BY id;\r")
        out = term.expect("rows: Enter for more")  # three rows, two per page
        assert "T-G11" in out and "幸福社区第一网格" in out and "T-G21" not in out
        term.send("\r")
        out = term.expect("3 row(s)")
        assert "T-G21" in out
        term.send(":schema Unit\r")
        out = term.expect("bridge_parts")
        assert "betweenness" in out and "中介中心性" in out
        term.send(":format csv\r")
        term.send(":run coverage/territory_without_org kinds=grid,compound\r")
        term.expect("subject,name,kind,level,parent_id")
        term.send("MATCH (n RETURN n;\r")
        assert "error:" in term.expect("Parser exception")
        term.send("MATCH (t:Territory) SET t.name = 'x' RETURN t.id;\r")
        assert "error:" in term.expect("read-only")
        term.send(":format table\r")
        term.send("RETURN 'after the errors' AS still_here;\r")
        term.expect("1 row(s)")
        term.send("MATCH (u:Un")
        term.send("\t")
        term.expect("Unit")
        term.send("\x15")  # Ctrl-U: clear the line
        term.send(":quit\r")
        assert term.close() == 0
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
    history = (tmp_path / "state" / "orgnet" / "shell_history").read_text(encoding="utf-8")
    assert ":run coverage/territory_without_org" in history


def test_is_complete() -> None:
    assert is_complete("MATCH (n) RETURN n;")
    assert is_complete("MATCH (n)\nRETURN n\n")
    assert not is_complete("MATCH (n)")
    assert is_complete(":schema")
    assert is_complete("")


def test_history_path() -> None:
    assert history_path({"XDG_STATE_HOME": "/s", "HOME": "/h"}) == Path(
        "/s/orgnet/shell_history")
    assert history_path({"HOME": "/h"}) == Path("/h/.orgnet/shell_history")


def test_shell_logic_prints_values_verbatim(tiny_db) -> None:
    from orgnet._stores import open_read_store

    buffer = io.StringIO()
    console = Console(file=buffer, width=200, color_system=None)
    store = open_read_store(tiny_db)
    try:
        shell = Shell(store, console)
        shell.handle("RETURN '[red]x[/red] [b]bold' AS v, '路\\\\径' AS w;")
        shell.handle(":format json")
        shell.handle("RETURN 1 AS one")
        shell.handle(":format xml")
        shell.handle(":nope")
        shell.handle(":run coverage/territory_without_org kinds=[grid")
        shell.handle(":list")
        shell.handle("MATCH (c) WHERE labels(c) = ['Territory'] RETURN count(*) AS n;")
        shell.handle(":quit")
    finally:
        store.close()
    out = buffer.getvalue()
    assert "[red]x[/red] [b]bold" in out
    assert '"one": 1' in out
    assert "usage: :format table|csv|json" in out
    assert "unknown command :nope" in out
    assert "--param kinds" in out  # the parameter error names the parameter
    assert "coverage/territory_without_org" in out
    assert "hint: labels(n) is a string on LadybugDB: write label(n) = 'Territory'" in out
    assert shell.done


def test_statements_piped_in(tiny_db) -> None:
    script = ("MATCH (t:Territory) WHERE t.kind = 'grid'\nRETURN count(*) AS grids;\n"
              ":format csv\nMATCH (u:Unit)\nRETURN count(*) AS units\n\nRETURN 'x' AS last\n")
    done = subprocess.run([sys.executable, "-m", "orgnet", "shell", "--db", str(tiny_db)],
                          input=script, capture_output=True, text=True, check=False,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert re.search(r"│ 3 +│", done.stdout)
    assert "units\n4\n" in done.stdout
    assert done.stdout.endswith("last\nx\n")


def test_completion_of_labels_types_properties_and_queries() -> None:
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from orgnet._shell import _completer

    words = ["Unit", "TIE", "betweenness", "brokerage_total", ":schema",
             "coverage/org_unreachable"]
    completer = _completer(lambda: words)

    def complete(text: str) -> list[str]:
        return [c.text for c in completer.get_completions(Document(text), CompleteEvent())]

    assert complete("MATCH (u:Un") == ["Unit"]
    assert complete("MATCH (u)-[r:TI") == ["TIE"]
    assert complete("RETURN u.bet") == ["betweenness"]
    assert complete(":sch") == [":schema"]
    assert complete(":run coverage/org_u") == ["coverage/org_unreachable"]
    assert complete("RETURN u.zzz") == []
