"""visualizations: offline HTML pages for committees — network pages and the diagnosis report.

They receive the model (:class:`graphmodel.model.OrgModel`) and the findings object of
FINDINGS.md; they never open a database.
"""

from visualizations._scope import Scope, ScopeError, resolve_scope
from visualizations.network import network_data, page_file, render_network, write_network
from visualizations.report import report_data, write_report

__all__ = [
    "Scope",
    "ScopeError",
    "network_data",
    "page_file",
    "render_network",
    "report_data",
    "resolve_scope",
    "write_network",
    "write_report",
]
