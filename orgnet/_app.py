"""The typer application every command module registers on."""

import typer

app = typer.Typer(
    name="orgnet",
    help="orgnet: 基层党组织网络建模与诊断 — load spreadsheets into a graph database and find "
    "coverage gaps, weak ties and responsibility backflow.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",  # docstring paragraphs reflow to the terminal width
)
