"""The interactive Cypher shell (`orgnet shell`): what a line does, completion, paging.

The terminal side (prompt_toolkit session, key bindings, history file) is in
:func:`run_shell`; :class:`Shell` holds everything else, so tests can drive it directly.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from graphmodel.errors import OrgModelError, QueryExecutionError
from graphmodel.store import GraphStore

__all__ = ["FORMATS", "Shell", "history_path", "is_complete", "run_script", "run_shell"]

FORMATS = ("table", "csv", "json")
COMMANDS = (":schema", ":list", ":run", ":format", ":help", ":quit", ":exit")
KEYWORDS = ("MATCH", "OPTIONAL MATCH", "WHERE", "RETURN", "WITH", "ORDER BY", "LIMIT", "SKIP",
            "UNWIND", "DISTINCT", "AS", "AND", "OR", "NOT", "IS NULL", "IS NOT NULL", "EXISTS",
            "COUNT", "CASE", "WHEN", "THEN", "ELSE", "END", "UNION", "DESC", "ASC", "IN",
            "label", "count", "collect", "size", "coalesce", "is_trail", "list_contains",
            "list_filter", "list_transform", "CAST")

HELP = """\
Cypher on the store, read-only. A statement ends with ';' or a blank line.
  :schema [NAME]         labels, relationship types, properties (of one label or type)
  :list                  the named queries
  :run NAME k=v ...      run a named query (k=a,b for a list, or JSON)
  :format table|csv|json how results are printed
  :help                  this text
  :quit                  leave (or Ctrl-D)
Tab completes labels, relationship types, properties, commands and query names.
On LadybugDB: label(n) = 'Unit' (not labels(n)), label(r) for type(r), lists start at 1,
WHERE is_trail(p) for Neo4j's variable-length paths (see orgnet schema)."""


def history_path(env: dict[str, str] | None = None) -> Path:
    """Where the shell keeps its history: ``$XDG_STATE_HOME/orgnet/shell_history``, else
    ``~/.orgnet/shell_history``."""
    env = dict(os.environ) if env is None else env
    state = env.get("XDG_STATE_HOME")
    if state:
        return Path(state) / "orgnet" / "shell_history"
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    return home / ".orgnet" / "shell_history"


def is_complete(text: str) -> bool:
    """Whether the typed text is ready to run: a ``:command`` line, a statement ending with
    ``;``, or text whose last line is blank (an empty buffer is complete too)."""
    stripped = text.strip()
    if not stripped or stripped.startswith(":"):
        return True
    return stripped.endswith(";") or text.endswith("\n")


class Shell:
    """One shell session on a read-only store.

    Parameters
    ----------
    store
        An open store (its ``run`` is the only thing called).
    console
        Where results go.
    page_size
        Rows per page of a table; 0: no paging.
    more
        Asked between pages; returns False to stop. None: no paging.
    """

    def __init__(self, store: GraphStore, console: Console, *, page_size: int = 0,
                 more: Callable[[int, int], bool] | None = None) -> None:
        self.store = store
        self.console = console
        self.page_size = page_size
        self.more = more
        self.format = "table"
        self.done = False
        self._schema: pd.DataFrame | None = None

    # -- what the store holds, for :schema and completion ---------------------------------
    def schema(self) -> pd.DataFrame:
        """The store's schema with meanings (read once)."""
        if self._schema is None:
            from orgnet._schema_doc import store_schema
            from queries.catalog import store_catalog

            self._schema = store_schema(store_catalog(self.store))
        return self._schema

    def words(self) -> list[str]:
        """Completion words: labels, types, properties, commands, keywords, query names."""
        from queries.library import list_queries

        frame = self.schema()
        names = list(dict.fromkeys([*frame["owner"], *(p for p in frame["property"] if p)]))
        return [*names, *COMMANDS, *KEYWORDS, *(q.name for q in list_queries())]

    # -- one input -----------------------------------------------------------------------
    def handle(self, text: str) -> None:
        """Run one input: a ``:command`` or a Cypher statement. Errors are printed, never
        raised: the session goes on."""
        stripped = text.strip()
        if not stripped:
            return
        try:
            if stripped.startswith(":"):
                self._command(stripped)
            else:
                self._cypher(stripped.rstrip(";").strip())
        except OrgModelError as err:
            self.console.print(Text(f"error: {err}", style="bold red"))
            if isinstance(err, QueryExecutionError) and self.store.backend == "ladybug":
                from queries.dialect import neo4j_habits

                for hint in neo4j_habits(stripped):
                    self.console.print(Text(f"hint: {hint}", style="yellow"))

    def _cypher(self, text: str, params: dict[str, Any] | None = None) -> None:
        if text:
            self.show(self.store.run(text, params or {}))

    def _command(self, line: str) -> None:
        try:
            parts = shlex.split(line)
        except ValueError as err:
            self.console.print(Text(f"error: {line}: {err}", style="bold red"))
            return
        command, args = parts[0].lower(), parts[1:]
        if command in (":quit", ":exit", ":q"):
            self.done = True
        elif command == ":help":
            self.console.print(Text(HELP))
        elif command == ":format":
            if len(args) != 1 or args[0] not in FORMATS:
                self.console.print(Text(f"usage: :format {'|'.join(FORMATS)} (now "
                                        f"{self.format})", style="yellow"))
            else:
                self.format = args[0]
        elif command == ":list":
            from orgnet.api import Network

            self.show(Network.queries())
        elif command == ":schema":
            self._show_schema(args)
        elif command == ":run":
            self._run(args)
        else:
            self.console.print(Text(f"unknown command {command}: try :help", style="yellow"))

    def _show_schema(self, args: list[str]) -> None:
        frame = self.schema()
        if args:
            frame = frame[frame["owner"].str.lower() == args[0].lower()]
            if frame.empty:
                self.console.print(Text(f"no label or relationship type {args[0]}",
                                        style="yellow"))
                return
        from orgnet.cmd_schema import print_schema

        print_schema(frame, notes=not args, console=self.console)

    def _run(self, args: list[str]) -> None:
        if not args:
            self.console.print(Text("usage: :run NAME k=v ...", style="yellow"))
            return
        from queries.library import get_query
        from queries.params import parse_params
        from queries.run import run_query

        query = get_query(args[0])
        self.show(run_query(self.store, query.name, **parse_params(args[1:], query)))

    # -- results -------------------------------------------------------------------------
    def show(self, frame: pd.DataFrame) -> None:
        """Print a result in the current format; a long table page by page."""
        if self.format == "csv":
            self.console.print(Text(frame.to_csv(index=False).rstrip("\n")))
            return
        if self.format == "json":
            clean = frame.astype(object).where(frame.notna(), None)
            self.console.print(Text(json.dumps(clean.to_dict("records"), ensure_ascii=False,
                                               default=str, indent=1)))
            return
        for start, page in self._pages(frame):
            self.console.print(_table(page))
            shown = start + len(page)
            if shown < len(frame) and self.more is not None and not self.more(shown,
                                                                              len(frame)):
                break
        self.console.print(Text(f"{len(frame)} row(s)", style="dim"))

    def _pages(self, frame: pd.DataFrame) -> Iterator[tuple[int, pd.DataFrame]]:
        size = self.page_size if self.page_size > 0 and self.more is not None else len(frame)
        if frame.empty:
            yield 0, frame
            return
        for start in range(0, len(frame), max(size, 1)):
            yield start, frame.iloc[start:start + size]


def _table(frame: pd.DataFrame) -> Table:
    table = Table(show_lines=False)
    for col in frame.columns:
        table.add_column(Text(str(col)), overflow="fold")
    for row in frame.astype(object).where(frame.notna(), "").itertuples(index=False):
        table.add_row(*(Text(str(v)) for v in row))
    return table


_WORD = re.compile(r"[\w:/]+$")


def _completer(words: Callable[[], Iterable[str]]):
    from prompt_toolkit.completion import Completer, Completion

    class _Words(Completer):
        def get_completions(self, document, complete_event):
            match = _WORD.search(document.text_before_cursor)
            if not match:
                return
            prefix = match.group(0)
            # after `n.` or `(n:` complete the part after the dot or colon
            for sep in (".", ":"):
                if sep in prefix[1:] and not prefix.startswith(":"):
                    prefix = prefix.rsplit(sep, 1)[1]
            low = prefix.lower()
            for word in dict.fromkeys(words()):
                if word.lower().startswith(low) and word != prefix:
                    yield Completion(word, start_position=-len(prefix))

    return _Words()


def run_script(shell: Shell, lines: Iterable[str]) -> None:
    """Run the inputs of ``lines`` (e.g. a file piped to ``orgnet shell``) with no prompt:
    statements end as at the prompt, with ``;`` or a blank line; no paging."""
    more, shell.more = shell.more, None
    text = ""
    try:
        for line in lines:
            text += line.rstrip("\n") + "\n"
            if not line.strip() or is_complete(text.rstrip("\n")):
                shell.handle(text)
                text = ""
                if shell.done:
                    return
        shell.handle(text)
    finally:
        shell.more = more


def run_shell(shell: Shell, *, history: Path | None, prompt: str = "orgnet> ") -> None:
    """Read inputs at a prompt until ``:quit`` or Ctrl-D; ``history`` None: no history file."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit import prompt as ask
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event) -> None:
        buffer = event.current_buffer
        if is_complete(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    if history is not None:
        history.parent.mkdir(parents=True, exist_ok=True)
    session: PromptSession = PromptSession(
        history=FileHistory(str(history)) if history is not None else InMemoryHistory(),
        multiline=True, key_bindings=bindings, completer=_completer(shell.words),
        complete_while_typing=False, prompt_continuation=lambda width, *_: "...> ".rjust(width))

    def more(shown: int, total: int) -> bool:
        try:
            answer = ask(f"-- {shown}/{total} rows: Enter for more, q to stop -- ")
        except (EOFError, KeyboardInterrupt):
            return False
        return answer.strip().lower() not in ("q", "quit")

    shell.more = more
    while not shell.done:
        try:
            text = session.prompt(prompt)
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        shell.handle(text)
