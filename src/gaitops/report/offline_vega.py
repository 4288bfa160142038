"""What `dvc plots show` needs in .dvc/plots/: gaitops' templates and an offline HTML page.

`dvc plots show` loads Vega, Vega-Lite and Vega-Embed from a CDN by default and renders blank
offline. gaitops writes an HTML template with the three inlined (taken from the installed
vl-convert-python package, whose version constraints.txt pins), which `plots.html_template` in
.dvc/config names, beside the Vega-Lite templates of its plot files (src/gaitops/report/vega/,
also what the report draws with). `make install` and `gaitops run` write them:

    python -m gaitops.report.offline_vega [PROJECT]   # (re)write PROJECT/.dvc/plots/
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import vl_convert

VEGA_TEMPLATES = Path(__file__).parent / "vega"  # gaitops_panels.json, gaitops_matrix.json
TEMPLATE_NAME = "offline.html"  # under .dvc/plots/; `plots.html_template` in .dvc/config names it
GLOBALS = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"

PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>gaitops plots</title>
<script>
{script}
</script>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; }}
table {{ border-spacing: 15px; }}
</style>
</head>
<body>
<p>gaitops plots (Vega {vega}, Vega-Lite {vega_lite}, Vega-Embed {embed}, inlined: no network
needed). Each chart's title is the file it draws; panels files hold one chart per panel.</p>
{{plot_divs}}
</body>
</html>
"""


@cache
def vega_script() -> str:
    """The three libraries in one classic script that defines vega, vegaLite and vegaEmbed."""
    return vl_convert.javascript_bundle(GLOBALS)


def versions() -> dict[str, str]:
    return {
        "vega": vl_convert.get_vega_version(),
        "vega_lite": vl_convert.get_vegalite_versions()[-1],
        "embed": vl_convert.get_vega_embed_version(),
    }


def plots_template() -> str:
    """The HTML template for `dvc plots show`: the libraries inlined, then DVC's {plot_divs}."""
    if "{plot_divs}" in vega_script() or "</script" in vega_script():
        raise RuntimeError("the Vega bundle cannot be inlined in a <script> element as it is")
    return PAGE.format(script=vega_script(), **versions())


def _write_if_changed(target: Path, content: str) -> None:
    if not target.exists() or target.read_text(encoding="utf-8") != content:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def install_plot_templates(dvc_dir: Path) -> Path:
    """Write gaitops' Vega-Lite templates and the offline page into `dvc_dir`/plots/ (files
    whose content changed only); return the folder."""
    folder = dvc_dir / "plots"
    for template in sorted(VEGA_TEMPLATES.glob("*.json")):
        _write_if_changed(folder / template.name, template.read_text(encoding="utf-8"))
    _write_if_changed(folder / TEMPLATE_NAME, plots_template())
    return folder


def plot_templates_installed(dvc_dir: Path) -> bool:
    """Whether `dvc_dir`/plots/ holds the page and the current templates."""
    folder = dvc_dir / "plots"
    return (folder / TEMPLATE_NAME).exists() and all(
        (folder / t.name).exists() and (folder / t.name).read_bytes() == t.read_bytes()
        for t in VEGA_TEMPLATES.glob("*.json")
    )


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    print(install_plot_templates(root / ".dvc"))
