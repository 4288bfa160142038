"""Every data source adapter, by name (``data.source`` in params.yaml)."""

from __future__ import annotations

from gaitops.data.sources import SourceLoader, fgdi, long_csv, synthetic, uci

SOURCES: dict[str, SourceLoader] = {
    "fgdi": fgdi.load,
    "uci": uci.load,
    "uci_format": uci.load_file,
    "synthetic": synthetic.load,
    "long_csv": long_csv.load,
}
