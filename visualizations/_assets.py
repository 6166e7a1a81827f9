"""Templates and inlined assets of the pages: no CDN, nothing fetched, works from file://.

vis-network's script and style come from the copy bundled inside the installed pyvis package
(``pyvis/templates/lib/vis-<version>/``), inlined whole with its licence header (vis-network is
dual licensed Apache-2.0 / MIT). Our own scripts and styles live in ``visualizations/static``
and the page templates in ``visualizations/templates``.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from graphmodel.errors import BackendUnavailableError

__all__ = ["environment", "script_json", "static_text", "vis_assets"]


@functools.cache
def vis_assets() -> tuple[str, str, str]:
    """``(version, script, style)`` of the vis-network copy shipped inside pyvis.

    Raises
    ------
    BackendUnavailableError
        pyvis is missing or carries no vis-network copy.
    """
    try:
        lib = resources.files("pyvis") / "templates" / "lib"
        candidates = [p for p in lib.iterdir() if p.name.startswith("vis-")]
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError) as err:
        msg = "pyvis is not installed: pip install 'pyvis>=0.3.2'"
        raise BackendUnavailableError(msg) from err

    def version(p: Any) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", p.name))

    for folder in sorted(candidates, key=version, reverse=True):
        js, css = folder / "vis-network.min.js", folder / "vis-network.css"
        if js.is_file() and css.is_file():
            ver = ".".join(str(v) for v in version(folder))
            return ver, js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
    msg = "no vis-network copy found inside the pyvis package (pyvis/templates/lib/vis-*)"
    raise BackendUnavailableError(msg)


@functools.cache
def static_text(name: str) -> str:
    """Text of one of our files in ``visualizations/static``."""
    return (resources.files("visualizations") / "static" / name).read_text(encoding="utf-8")


@functools.cache
def environment() -> jinja2.Environment:
    """The jinja2 environment of ``visualizations/templates`` (HTML autoescaped)."""
    folder = resources.files("visualizations") / "templates"
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: (folder / name).read_text(encoding="utf-8")),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined)
    env.globals["static"] = lambda name: Markup(static_text(name))
    return env


def script_json(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block: ``<`` escaped so no text
    (a name containing ``</script>``) can end the block; keys sorted for stable output."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029",
                                                                              "\\u2029")
    return Markup(text)
