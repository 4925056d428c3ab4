"""Time the chart stage: ~8 typical charts, cold (empty cache) then warm (same cache).

    .venv/bin/python benchmarks/bench_charts.py [--breakdown] [--pool]

--breakdown  per-chart matplotlib (Figure -> SVG) vs svglib (SVG -> Drawing) vs
             cache load (unpickle) times.
--pool       also time the cold stage with a process pool of 2 workers.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefing.data.dataset import Dataset

YEARS = ["2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024"]


def jobs(theme, width=430.0):
    eco = Dataset("经济", {
        "年份": YEARS,
        "地区生产总值": [854.2, 902.5, 960.1, 1001.7, 1054.5, 1120.3, 1180.0, 1265.8],
        "增速": [6.1, 5.8, 6.5, -2.3, 15.0, 6.2, 5.3, 7.3],
        "工业": [300, 320, 350, 330, 400, 410, 430, 460],
        "服务业": [400, 420, 440, 470, 480, 530, 560, 600],
        "农业": [154.2, 162.5, 170.1, 201.7, 174.5, 180.3, 190.0, 205.8],
        "利润": [120, 80, 60, -35, 80, 95, -12, 140],
        "收入": [2.3e7, 2.5e7, 2.7e7, 2.6e7, 3.1e7, 3.3e7, 3.6e7, 4.0e7],
    })
    reg = Dataset("地区", {"地区": ["华东", "华南", "华北", "华中", "西南", "东北", "西北"],
                           "占比": [32.5, 21.3, 15.2, 12.1, 9.8, 5.6, 3.5]})
    mon = Dataset("月度", {"月份": [f"2021-{m:02d}" for m in range(1, 13)],
                           "PMI": [51.3, 50.6, 51.9, 51.1, 51.0, 50.9, 50.4, 50.1, 49.6, 49.2, 50.1, 50.3]})
    specs = [
        ({"type": "combo", "x": "年份", "y": "地区生产总值", "y2": "增速", "unit": "亿元"}, eco),
        ({"type": "bar", "x": "年份", "y": "利润", "unit": "亿元"}, eco),
        ({"type": "grouped", "x": "年份", "y": ["工业", "服务业"], "unit": "亿元"}, eco),
        ({"type": "stacked", "x": "年份", "y": ["工业", "服务业", "农业"], "unit": "亿元"}, eco),
        ({"type": "line", "x": "月份", "y": "PMI", "unit": "%"}, mon),
        ({"type": "barh", "x": "地区", "y": "占比", "unit": "%"}, reg),
        ({"type": "donut", "x": "地区", "y": "占比"}, reg),
        ({"type": "bar", "x": "年份", "y": "收入", "unit": "元"}, eco),
    ]
    return [(spec, data, theme, width, None, f"图{i + 1}") for i, (spec, data) in enumerate(specs)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--breakdown", action="store_true")
    ap.add_argument("--pool", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    from briefing.charts import ChartTheme, render_charts
    t_import = time.perf_counter() - t0
    theme = ChartTheme()
    js = jobs(theme)
    tmp = Path(tempfile.mkdtemp(prefix="bench-charts-"))
    try:
        t = time.perf_counter()
        render_charts(js, cache_dir=tmp, workers=1 if not args.pool else None)
        cold = time.perf_counter() - t
        mpl_loaded = "matplotlib" in sys.modules
        t = time.perf_counter()
        render_charts(js, cache_dir=tmp)
        warm = time.perf_counter() - t
        print(f"import briefing.charts: {t_import * 1000:.0f} ms")
        print(f"{len(js)} charts cold (empty cache, sequential, incl. matplotlib import): {cold:.2f} s"
              f"  (matplotlib imported: {mpl_loaded})")
        print(f"{len(js)} charts warm (same cache): {warm * 1000:.0f} ms")

        if args.pool:
            shutil.rmtree(tmp)
            t = time.perf_counter()
            render_charts(js, cache_dir=tmp, workers=2)
            print(f"{len(js)} charts cold, process pool of 2 (matplotlib already imported in parent): "
                  f"{time.perf_counter() - t:.2f} s")
            shutil.rmtree(tmp)
            t = time.perf_counter()
            render_charts(js, cache_dir=tmp, workers=1)
            print(f"{len(js)} charts cold, sequential (matplotlib already imported): "
                  f"{time.perf_counter() - t:.2f} s")

        if args.breakdown:
            import pickle

            from briefing.charts import render
            from briefing.charts._fonts import chart_fonts
            from briefing.charts.spec import plan_chart
            fonts = chart_fonts(theme.font_family)
            tm = ts = tp = tv = 0.0
            for spec, data, th, width, where, name in js:
                t = time.perf_counter()
                plan = plan_chart(spec, data, where=where, name=name)
                tv += time.perf_counter() - t
                t = time.perf_counter()
                svg = render.render_svg(plan, th, width, fonts)
                tm += time.perf_counter() - t
                t = time.perf_counter()
                d = render.svg_to_drawing(svg, width, fonts)
                ts += time.perf_counter() - t
                blob = pickle.dumps(d)
                t = time.perf_counter()
                pickle.loads(blob)
                tp += time.perf_counter() - t
            n = len(js)
            print(f"per chart (warm process): validate {tv / n * 1000:.1f} ms, matplotlib -> SVG "
                  f"{tm / n * 1000:.0f} ms, svglib SVG -> Drawing {ts / n * 1000:.1f} ms, "
                  f"unpickle Drawing {tp / n * 1000:.1f} ms")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
