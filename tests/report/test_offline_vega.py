"""What `dvc plots show` draws with: the templates and the page with Vega inlined."""

import json

from gaitops.report.offline_vega import (
    TEMPLATE_NAME,
    VEGA_TEMPLATES,
    install_plot_templates,
    plot_templates_installed,
    plots_template,
)


def test_the_page_inlines_the_libraries_and_keeps_dvc_s_placeholder():
    page = plots_template()
    assert page.count("{plot_divs}") == 1 and "{scripts}" not in page  # no CDN scripts added
    assert "<script src=" not in page and "cdn.jsdelivr" not in page
    assert "window.vegaEmbed" in page and len(page) > 500_000  # the bundle itself


def test_install_writes_every_template_and_notices_a_stale_one(tmp_path):
    dvc_dir = tmp_path / ".dvc"
    assert not plot_templates_installed(dvc_dir)
    folder = install_plot_templates(dvc_dir)
    names = {p.name for p in VEGA_TEMPLATES.glob("*.json")}
    assert names == {"gaitops_panels.json", "gaitops_matrix.json"}
    assert {p.name for p in folder.iterdir()} == names | {TEMPLATE_NAME}
    assert plot_templates_installed(dvc_dir)
    (folder / "gaitops_panels.json").write_text("{}")
    assert not plot_templates_installed(dvc_dir)


def test_templates_are_vega_lite_with_dvc_s_data_anchor():
    for template in VEGA_TEMPLATES.glob("*.json"):
        spec = json.loads(template.read_text())
        assert spec["$schema"].endswith("vega-lite/v5.json")
        assert spec["data"] == {"values": "<DVC_METRIC_DATA>"}
