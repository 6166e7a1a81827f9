"""orgnet: a graph-based modeler of grassroots party organization networks.

For notebooks: ``net = orgnet.open("city.lbdb")`` (or a data folder or workbook), then
``net.query(...)``, ``net.run(name, ...)``, ``net.findings()`` and ``net.graph()``; see
:mod:`orgnet.api`.
"""

from graphmodel import __version__
from orgnet.api import Network, open  # orgnet.open, like io.open

__all__ = ["Network", "__version__", "open"]
