"""Builds side by side draw a shared chart once: the second waits for the first's lock, then reads the cache."""
from __future__ import annotations

import subprocess
import sys
import textwrap

WORKER = textwrap.dedent("""
    import sys, time
    import briefing.charts as charts
    from briefing.charts import ChartTheme, render_charts
    from briefing.data.dataset import Dataset

    drawn = []
    real = charts._draw
    def slow_draw(*args, **kwargs):
        drawn.append(1)
        time.sleep(1.5)          # long enough for the other build to reach the same chart
        return real(*args, **kwargs)
    charts._draw = slow_draw

    data = Dataset("gdp", {"行业": ["汽车", "电子", "装备"], "产值": [740, 650, 350]})
    spec = {"type": "bar", "data": "gdp", "x": "行业", "y": "产值", "caption": "产值"}
    out = render_charts([(spec, data, ChartTheme(), 300)], cache_dir=sys.argv[1], workers=1)
    assert out[0] is not None
    print("drew" if drawn else "cached")
""")


def test_two_builds_at_once_draw_a_shared_chart_once(tmp_path):
    cache = tmp_path / "cache"
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(cache)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    said = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        said.append(out.strip())
    assert sorted(said) == ["cached", "drew"], said
