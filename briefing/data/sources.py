"""Read the data sets a briefing names: CSV, XLSX, JSON and inline tables."""
from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import math
import os
import pickle
import re
import tempfile
from pathlib import Path

from .. import fmt
from ..content.paths import confine
from ..errors import ContentError, Location, shown_path
from ..i18n import _
from ..resources import cache_dir
from .dataset import Dataset
from .limits import check_data_rows, limit

MAX_DATA_BYTES = 64 * 1024 * 1024
MAX_QUANTITY = 10 ** 15
FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json"}


def load_source(name: str, spec, base: Path, where: Location, *, allow_outside: bool = False,
                roots: tuple[Path, ...] = ()) -> Dataset:
    """One data set from its YAML spec: "file.csv", {file:, sheet:, range:}, or {columns:}/{rows:}."""
    if isinstance(spec, str):
        spec = {"file": spec}
    if not isinstance(spec, dict):
        raise ContentError(_("数据源“{name}”应是文件路径或映射").format(name=name), where)
    if "columns" in spec or "rows" in spec:
        return _inline(name, spec, where)
    if "file" not in spec:
        raise ContentError(_("数据源“{name}”缺少 file、columns 或 rows").format(name=name), where)
    unknown = set(spec) - {"file", "sheet", "range", "format"}
    if unknown:
        raise ContentError(_("数据源“{name}”中有未知字段：{keys}").format(name=name, keys="、".join(sorted(unknown))),
                           where, _("可用的字段：file、sheet、range、format"))
    path = confine(base, spec["file"], where, allow_outside=allow_outside, roots=roots)
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size, repr(sorted(spec.items())), where.path)
    if key not in _read:
        if len(_read) > 256:
            _read.clear()
        _read[key] = _read_file(name, spec, path, where)
    ds = copy.deepcopy(_read[key])
    ds.name = name
    return ds


# (path, mtime, size, spec) -> Dataset: a warm process (`briefing watch`) reads an unchanged data file once
_read: dict[tuple, Dataset] = {}


def _read_file(name: str, spec: dict, path: Path, where: Location) -> Dataset:
    if path.stat().st_size > MAX_DATA_BYTES:
        raise ContentError(_("数据文件过大（超过 64 MB）"), Location(str(path)))
    kind = spec.get("format") or FORMATS.get(path.suffix.lower())
    file_where = Location(str(path), path=where.path)
    if kind == "csv":
        lines: list[int] = []
        notes: list[str] = []
        return Dataset(name, read_csv(path, file_where, lines, notes), file_where, lines=lines, notes=notes)
    if kind == "xlsx":
        sheet_where = Location(str(path) + (f"[{spec['sheet']}]" if spec.get("sheet") else ""), path=where.path)
        return Dataset(name, read_xlsx(path, spec.get("sheet"), spec.get("range"), sheet_where), sheet_where)
    if kind == "json":
        return Dataset(name, read_json(path, file_where), file_where)
    raise ContentError(_("不支持的数据文件格式“{suffix}”").format(suffix=path.suffix), where,
                       _("支持 CSV、XLSX 和 JSON"))


def number_or_text(text):
    """CSV cells are text; numbers become int/float so charts and filters can use them."""
    if not isinstance(text, str):
        return text
    s = text.strip()
    if s == "":
        return None
    if len(s) > 40:     # float() of a 5,000-digit string is slow, and no quantity is written so
        return s
    try:
        value = fmt.written(s)     # keeps the places the file writes: "15.0" stays 15.0
    except ValueError:
        return s
    # "nan" and "inf" are words in a CSV cell, not quantities, and a figure of 10^15 or more is a code (an
    # 18-digit ID, an account number) or a typo: each stays text, printed as written, and a chart that needs
    # a number says so (an empty cell is the missing value)
    return value if math.isfinite(value) and abs(value) < MAX_QUANTITY else s


def _xlsx_value(cell):
    """A cell's value with the places its number format shows ("0.0" -> one place).

    A percentage format ("0.0%") shows the fraction in percent: 0.151 is read as
    15.1 (percent units), as the sheet displays it and as charts and ``pct`` expect.
    """
    value = cell.value
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    form = str(getattr(cell, "number_format", None) or "General").split(";")[0]
    form = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", form)      # drop quoted text, [colour], escapes
    if not re.search(r"[0#]", form):
        return value
    m = re.search(r"[0#]\.([0#]+)", form)
    places = len(m.group(1)) if m else 0
    if "%" in form:
        value = round(value * 100, places + 6)
    return fmt.Written(value, places) if places else round(value) if float(value).is_integer() else \
        fmt.Written(value, 0)


def _columns_from_rows(header: list, rows: list[list], where: Location) -> dict[str, list]:
    names = [str(h).strip() if h is not None else "" for h in header]
    for i, n in enumerate(names):
        if not n:
            raise ContentError(_("表头第{n}列为空").format(n=i + 1), where, _("每一列都要有列名"))
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ContentError(_("表头中列名重复：{names}").format(names="、".join(sorted(dup))), where)
    check_data_rows(len(rows), where)
    cols: dict[str, list] = {n: [] for n in names}
    for r, row in enumerate(rows):
        if len(row) > len(names) and any(c not in (None, "") for c in row[len(names):]):
            raise ContentError(_("第{row}行的数据比表头多").format(row=r + 2), where)
        for i, n in enumerate(names):
            value = row[i] if i < len(row) else None
            if isinstance(value, (list, dict, tuple)):
                raise ContentError(_("第{row}个数据行“{col}”列的值应是文字或数值，而不是 {v}").format(
                    row=r + 1, col=n, v=str(value)[:40]), where)
            cols[n].append(number_or_text(value))
    return cols


def decode_csv(raw: bytes, where: Location) -> tuple[str, str]:
    """The text of a CSV and the encoding it was in: UTF-8 (with or without BOM), else GB18030.

    Excel and WPS on Chinese Windows save "CSV" in the ANSI code page, GBK; GB18030 is its
    superset, so every GBK file decodes. A file that is neither is refused with the byte at fault.
    """
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ContentError(_("CSV 文件既不是 UTF-8 也不是 GBK/GB18030 编码（第 {n} 字节处）").format(
            n=utf8_error.start), where, _("请用 UTF-8 编码另存该文件")) from None


def read_csv(path: Path, where: Location, lines: list[int] | None = None,
             notes: list[str] | None = None) -> dict[str, list]:
    """The columns of a CSV file; `lines` receives the line each data row starts on, `notes` the warnings."""
    notes = notes if notes is not None else []
    text, encoding = decode_csv(path.read_bytes(), where)
    if encoding != "utf-8":
        notes.append(_("{where}: CSV 文件按 {encoding} 编码读取（Excel、WPS 导出的中文 CSV 常用此编码）；"
                       "另存为 UTF-8 可免去此提示").format(where=shown_path(where.file or str(path)), encoding=encoding.upper()))
    rows, starts = [], []
    row_limit = limit("data_rows") + 1
    reader = csv.reader(io.StringIO(text))
    start = 1
    try:
        for r in reader:
            if any(c.strip() for c in r):
                rows.append(r)
                starts.append(start)
                if len(rows) > row_limit:
                    check_data_rows(len(rows) - 1, where)
            start = reader.line_num + 1
    except csv.Error as e:   # a field over the csv module's limit, a NUL byte, an unclosed quote
        raise ContentError(_("CSV 格式错误：{e}").format(e=e), Location(where.file, reader.line_num or None,
                                                                        None, where.path),
                           _("字段过长或引号不成对；单元格不能超过 {n} 个字符").format(n=csv.field_size_limit())) from None
    if not rows:
        raise ContentError(_("CSV 文件是空的"), where)
    if lines is not None:
        lines[:] = starts[1:]
    return _columns_from_rows(rows[0], rows[1:], where)


def read_xlsx(path: Path, sheet: str | None, cell_range: str | None, where: Location) -> dict[str, list]:
    rows = _cached_rows(path, sheet, cell_range, where)
    if not rows:
        raise ContentError(_("工作表中没有数据"), where)
    return _columns_from_rows(rows[0], rows[1:], where)


XLSX_CACHE_VERSION = "xlsx-rows/1"


def _cached_rows(path: Path, sheet: str | None, cell_range: str | None, where: Location) -> list[list]:
    """The non-empty rows of a sheet, from the on-disk cache when this file (by its content's hash) was read
    before with the same sheet and range: a rebuild in a new process then neither imports openpyxl
    (~0.15 s with numpy) nor parses the workbook."""
    digest = hashlib.sha256(f"{XLSX_CACHE_VERSION}|{sheet}|{cell_range}|".encode())
    digest.update(path.read_bytes())
    entry = data_cache_dir() / f"{digest.hexdigest()}.rows.pickle"
    try:
        rows = pickle.loads(entry.read_bytes())
    except Exception:  # noqa: BLE001 - absent, truncated or foreign entry: read the workbook
        rows = None
    if isinstance(rows, list):
        if len(rows) > limit("data_rows") + 1:
            check_data_rows(len(rows) - 1, where)
        return rows
    rows = _read_xlsx_rows(path, sheet, cell_range, where)
    _store(entry, pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
    return rows


def data_cache_dir() -> Path:
    """Beside the chart cache ($BRIEFING_CACHE_DIR/data or ~/.cache/briefing/data): private to the user."""
    return cache_dir("data")


def _store(entry: Path, payload: bytes) -> None:
    """Write atomically; a cache that cannot be written never fails a build."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=entry.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, entry)
    except OSError:
        pass


def _read_xlsx_rows(path: Path, sheet: str | None, cell_range: str | None, where: Location) -> list[list]:
    import openpyxl  # imported here, for start-up: only a spreadsheet not read before pays for it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises zip, XML (lxml), key and value errors for a broken file
        raise ContentError(_("无法读取 XLSX 文件：{e}").format(e=e), where) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ContentError(_("工作表“{sheet}”不存在").format(sheet=sheet), where,
                               _("已有的工作表：{names}").format(names="、".join(book.sheetnames)))
        ws = book[sheet] if sheet else book.worksheets[0]
        try:
            cells = ws[cell_range] if cell_range else ws.iter_rows()
        except (ValueError, KeyError):
            raise ContentError(_("单元格范围“{range}”无效").format(range=cell_range), where,
                               _("范围写成 A1:D10 的形式")) from None
        rows = []
        row_limit = limit("data_rows") + 1
        for row in cells:       # streamed: a sheet may expand to millions of rows
            rows.append([_xlsx_value(c) for c in row])
            if len(rows) > row_limit:
                check_data_rows(len(rows) - 1, where)
    finally:
        book.close()
    return [r for r in rows if any(v not in (None, "") for v in r)]


def read_json(path: Path, where: Location) -> dict[str, list]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise ContentError(_("JSON 文件不是 UTF-8 编码（第 {n} 字节处）").format(n=e.start), where) from None
    depth = _json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise ContentError(_("JSON 嵌套过深（超过 {n} 层）").format(n=MAX_JSON_DEPTH), where,
                           _("数据应是记录列表 [{…}, …]"))
    try:
        # a number of more than 40 digits is a code or a typo, kept as text (int() of 5,000 digits is refused)
        value = json.loads(text, parse_float=fmt.written, parse_int=lambda s: int(s) if len(s) <= 40 else s,
                           parse_constant=lambda s: None)
    except json.JSONDecodeError as e:
        raise ContentError(_("JSON 格式错误：{e}").format(e=e.msg), Location(where.file, e.lineno, e.colno, where.path)) \
            from None
    except (ValueError, RecursionError) as e:
        raise ContentError(_("JSON 格式错误：{e}").format(e=e), where) from None
    if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
        header = list(dict.fromkeys(k for r in value for k in r))
        return _columns_from_rows(header, [[r.get(k) for k in header] for r in value], where)
    if isinstance(value, dict) and "columns" in value:
        return _inline_columns(value["columns"], where)
    raise ContentError(_("JSON 数据应是记录列表 [{…}, …] 或 {\"columns\": {列名: [值…]}}"), where)


MAX_JSON_DEPTH = 32


def _json_depth(text: str) -> int:
    """The deepest nesting of [ and { outside strings (json.loads recurses; 100,000 [ would overflow)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def _inline(name: str, spec: dict, where: Location) -> Dataset:
    if "columns" in spec:
        return Dataset(name, _inline_columns(spec["columns"], where), where)
    rows = spec["rows"]
    if not isinstance(rows, list) or not rows or not all(isinstance(r, (list, dict)) for r in rows):
        raise ContentError(_("rows 应是非空的行列表"), where)
    if isinstance(rows[0], dict):
        header = list(dict.fromkeys(k for r in rows for k in r))
        return Dataset(name, _columns_from_rows(header, [[r.get(k) for k in header] for r in rows], where), where)
    return Dataset(name, _columns_from_rows(rows[0], rows[1:], where), where)


def _inline_columns(columns, where: Location) -> dict[str, list]:
    if not isinstance(columns, dict) or not columns or not all(isinstance(v, list) for v in columns.values()):
        raise ContentError(_("columns 应是“列名: [值, …]”的映射"), where)
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        detail = "，".join(f"{k}={len(v)}" for k, v in columns.items())
        raise ContentError(_("各列长度不一致（{detail}）").format(detail=detail), where)
    return {str(k): [number_or_text(x) if isinstance(x, str) else x for x in v] for k, v in columns.items()}
