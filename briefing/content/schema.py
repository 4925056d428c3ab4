"""The briefing's content model: what a user may write in the YAML.

Validation is pydantic's; the messages a user sees are ours (see
validate.py), located with the positions the YAML loader recorded. Field
paths in pydantic errors follow the YAML, so each error points at its line.

A block is a one-key mapping (`- paragraph: "…"`, `- chart: {…}`): short to
write, and the key says what the block is.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StrictBool, Tag, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..i18n import _
from ..registry import BLOCK_TYPES as REGISTERED_BLOCKS
from ..registry import CHART_TYPES, PERIOD_KINDS, BlockType, load_object, register_block_type, template_files
from ..schedule.cron import CronError, parse
from .names import OneOf
from .text import join_paragraph

SectionId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$", max_length=64)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


# ---- blocks -------------------------------------------------------------

class ChartSpec(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]+$", max_length=64)] | None = None   # for {ref:ID}
    type: Annotated[str, OneOf(CHART_TYPES.names)]
    data: str | dict[str, Any]
    x: str | None = None
    y: str | list[str]
    y2: str | None = None
    unit: str | None = None
    y2_unit: str | None = None
    title: str | None = None
    caption: str | None = None
    source: str | None = None
    labels: StrictBool | None = None
    width: Literal["column", "full"] = "column"
    height: Annotated[float, Field(gt=0.1, le=2.0)] | None = None
    colors: list[str] | None = None
    decimals: Annotated[int, Field(ge=0, le=4)] | None = None   # data labels; default: as the data writes them
    y_min: float | None = None   # where the value axis starts (line charts; bars should start at zero)
    lint: bool = True            # false: no chart-choice warnings for this chart


class Trend(Strict):
    data: str
    column: str


class KeyFigure(Strict):
    label: str
    value: str | int | float
    unit: str = ""
    change: str | int | float | None = None
    note: str | None = None
    trend: Trend | None = None


class TableSpec(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]+$", max_length=64)] | None = None   # for {ref:ID}
    data: str | dict[str, Any]
    columns: list[str] | None = None
    title: str | None = None
    units: str | None = None
    source: str | None = None
    decimals: int | None = None


class ImageSpec(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]+$", max_length=64)] | None = None   # for {ref:ID}
    file: str
    caption: str | None = None
    credit: str | None = None
    width: Literal["column", "full"] | Annotated[float, Field(gt=0, le=1)] = "column"


class QuoteSpec(Strict):
    text: str
    by: str | None = None


class ParagraphBlock(Strict):
    paragraph: str


class ParagraphsBlock(Strict):
    paragraphs: str | list[str]


class HeadingSpec(Strict):
    text: str
    level: Literal[2, 3, 4] = 2     # （一） / 1. / （1）; level 1 is the section title (一、)


class HeadingBlock(Strict):
    heading: str | HeadingSpec


class KeyFigurePanel(Strict):
    """`keyfigures: {title: 数读, items: [...]}`: the same as the list with `title:` beside it."""
    title: str | None = None
    items: Annotated[list[KeyFigure], Field(min_length=1)]


class KeyFiguresBlock(Strict):
    keyfigures: Annotated[list[KeyFigure], Field(min_length=1)] | KeyFigurePanel
    title: str | None = None        # the box's heading (a 专刊's 数读)

    @model_validator(mode="after")
    def _panel(self) -> KeyFiguresBlock:
        # one shape for the stages after this one: the figures as a list, the heading in `title`
        if isinstance(self.keyfigures, KeyFigurePanel):
            self.title = self.title or self.keyfigures.title
            self.keyfigures = self.keyfigures.items
        return self

    @property
    def figures(self) -> list[KeyFigure]:
        """The figures, a panel's included (the check above moves them into `keyfigures`)."""
        return self.keyfigures.items if isinstance(self.keyfigures, KeyFigurePanel) else self.keyfigures


class ChartBlock(Strict):
    chart: ChartSpec


class TableBlock(Strict):
    table: TableSpec


class ImageBlock(Strict):
    image: ImageSpec


class QuoteBlock(Strict):
    quote: str | QuoteSpec


class BulletsBlock(Strict):
    bullets: Annotated[list[str], Field(min_length=1)]


class PageBreakBlock(Strict):
    pagebreak: Literal[True]


class ColumnsBlock(Strict):
    columns: Annotated[list[list[Block]], Field(min_length=1, max_length=4)]


for _name, _model, _help in (
    ("paragraph", ParagraphBlock, "一个段落"), ("paragraphs", ParagraphsBlock, "多个段落"),
    ("heading", HeadingBlock, "小标题（（一）（二）…）"), ("keyfigures", KeyFiguresBlock, "关键数字"),
    ("chart", ChartBlock, "图表"), ("table", TableBlock, "表格"), ("image", ImageBlock, "图片"),
    ("quote", QuoteBlock, "引文"), ("bullets", BulletsBlock, "列表"), ("columns", ColumnsBlock, "并排的几栏"),
    ("pagebreak", PageBreakBlock, "另起一页"),
):
    # Markdown has its own syntax for a paragraph, a heading and a page break: no fence for them
    register_block_type(BlockType(_name, _model, help=_help, fence=_name not in ("paragraph", "heading", "pagebreak")))

# block type -> its model, kept equal to the registry (a block type registered later is added here)
BLOCK_TYPES: dict[str, type[BaseModel]] = {}


def block_kind(value: Any) -> Hashable | None:
    """The block type a mapping names: its first key that is a block type (else its first key, which
    pydantic names in its message)."""
    if isinstance(value, BaseModel):
        return next(k for k, v in BLOCK_TYPES.items() if isinstance(value, v))
    if isinstance(value, dict):
        for key in value:
            if isinstance(key, str) and key in BLOCK_TYPES:
                return key
        first: Hashable | None = next(iter(value), None) if value else None
        return first
    return None


def _model_of(block: BlockType) -> type[BaseModel]:
    model = load_object(block.model) if isinstance(block.model, str) else block.model
    if not (isinstance(model, type) and issubclass(model, BaseModel) and block.name in model.model_fields):
        raise TypeError(f"block type {block.name!r}: model must be a pydantic model with the field {block.name!r}")
    return model


def _block_union() -> Any:
    """Any one block: a union of the block models, told apart by their key."""
    BLOCK_TYPES.clear()
    BLOCK_TYPES.update({name: _model_of(block) for name, block in REGISTERED_BLOCKS.items()})
    return Annotated[
        Union[tuple(Annotated[model, Tag(name)] for name, model in BLOCK_TYPES.items())],  # noqa: UP007
        Discriminator(block_kind),
    ]


if TYPE_CHECKING:   # a union built at run time from the registry: to a type checker, their common base
    Block = BaseModel
else:
    Block = _block_union()
ColumnsBlock.model_rebuild()


# ---- document -----------------------------------------------------------

class Section(Strict):
    """A section of a 简报 or report; in a 专刊, an article (docs/articles.md).

    The article fields (kicker … edition) shape the 专刊's make-up; the other
    page forms set a section with a headline as one titled by its lines joined
    (`title`, filled in here when only `headline` is written).
    """
    id: SectionId
    title: str | None = None
    enabled: StrictBool = True
    numbered: StrictBool = True
    style: dict[str, Any] = {}
    kicker: str | None = None                   # 引题, above the headline
    headline: str | Annotated[list[str], Field(min_length=1)] | None = None   # 主题, one or more lines
    subhead: str | None = None                  # 副题, below the headline
    byline: str | None = None                   # 本报记者 …
    kind: Literal["article", "commentary"] = "article"
    signature: str | None = None                # a commentary's signature (本报评论员)
    columns: Annotated[int, Field(ge=1, le=8)] | None = None   # article width in columns (default: all)
    lead: StrictBool = False                    # the page's lead article: the largest headline
    new_page: StrictBool = False                # the article opens a new page
    edition: str | None = None                  # 版次 of the page this article opens (with new_page)
    blocks: list[Block] = []

    @model_validator(mode="after")
    def _title(self) -> Section:
        if self.title is None:
            if not self.headline_lines:
                raise PydanticCustomError("section", _("栏目要有 title（标题）或 headline（主题）"))
            self.title = join_paragraph("\n".join(self.headline_lines))
        return self

    @property
    def headline_lines(self) -> list[str]:
        """The headline as printed, one string per line (the title when no headline is written)."""
        if self.headline is None:
            return [self.title] if self.title else []
        return [self.headline] if isinstance(self.headline, str) else list(self.headline)


class Banner(Strict):
    """The 专刊's 版头 band at the top of every page (docs/articles.md)."""
    paper: str | None = None                    # the newspaper or supplement (default: the issuer)
    label: str | None = None                    # the 专版 label (default: the document title)
    edition: str | None = None                  # 版次 of the first page, e.g. 第 9 版
    editors: dict[str, str] = {}                # {责任编辑: 王某, 美术编辑: 李某}


class Distribution(Strict):
    report: str | None = None     # 报：
    send: str | None = None       # 送：
    issue_to: str | None = None   # 发：
    copies: Annotated[int, Field(ge=1)] | None = None


class Webhook(Strict):
    """A chat-bot or HTTP endpoint told about a run (docs/schedule.md, "Notifications")."""
    url: str | None = None                     # or url_env: the URL (it holds the bot's key) from the environment
    url_env: str | None = None
    format: Literal["json", "wecom", "dingtalk", "feishu"] = "json"
    secret_env: str | None = None              # 钉钉 / 飞书 signing secret, from the environment


class Email(Strict):
    """E-mail by SMTP; the login comes from environment variables, never from the YAML."""
    to: str | list[str]
    sender: str | None = None                  # From:, default briefing@<host name>
    host: str = "localhost"
    port: Annotated[int, Field(ge=1, le=65535)] | None = None      # default 465 (ssl), 587 (starttls), 25
    security: Literal["starttls", "ssl", "none"] = "starttls"
    user_env: str = "BRIEFING_SMTP_USER"
    password_env: str = "BRIEFING_SMTP_PASSWORD"


class Notify(Strict):
    when: Literal["failure", "always"] = "failure"
    webhook: Webhook | list[Webhook] = []
    email: Email | None = None
    command: list[str] | None = None           # run with the message on stdin and BRIEFING_* variables


class Schedule(Strict):
    """When a briefing is built by itself (docs/schedule.md): `briefing schedule run/once/next/install`."""
    cron: str | None = None                    # "0 8 * * mon" (minute hour day month weekday); wins over preset
    preset: Literal["daily", "weekly", "monthly", "quarterly"] | None = None
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"   # weekly
    day: Annotated[int, Field(ge=1, le=28)] = 1                                 # monthly, quarterly
    time: str = "08:00"
    timezone: str = "Asia/Shanghai"
    period: Annotated[str, OneOf(PERIOD_KINDS.names)] = "last_month"
    numbering: Literal["continuous", "yearly"] = "continuous"
    first_issue: Annotated[int, Field(ge=1)] = 1
    output: str = "{date:%Y%m%d}-{title}-第{issue}期.pdf"
    keep: Annotated[int, Field(ge=1)] | None = None
    misfire: Literal["catch_up", "skip"] = "catch_up"
    formats: list[str] = ["pdf"]               # other editions too: html, docx, longimage (the PDF always)
    archive: bool = True                       # write index.html / index.json / feed.atom after each issue
    publish: list[str] = []                    # folders the new issue and the archive index are copied to
    notify: Notify | None = None

    @field_validator("time", mode="before")
    @classmethod
    def _time(cls, value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
            value = f"{value // 60}:{value % 60:02d}"     # YAML 1.1 reads an unquoted 8:00 as 480
        if not isinstance(value, str):
            raise PydanticCustomError("schedule", _('时间“{value}”应写成 HH:MM（24 小时制），如 "08:00"').format(value=value))
        m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
        if not m:
            raise PydanticCustomError("schedule", _("时间“{value}”应写成 HH:MM（24 小时制），如 08:00").format(value=value))
        return f"{int(m.group(1)):02d}:{m.group(2)}"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise PydanticCustomError("schedule", _("未知的时区“{value}”：请用 IANA 名称，如 Asia/Shanghai").format(
                value=value)) from None
        return value

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None:
            return value

        try:
            cron = parse(value)      # read as cron reads it: `schedule run`, cron and systemd then fire alike
        except CronError as e:
            raise PydanticCustomError("schedule", str(e).replace("{", "{{").replace("}", "}}")) from None
        # a date no calendar has (30 Feb, 31 Apr) parses but never fires: the scheduler would wait forever
        longest = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
        if cron.day is not None and not cron.either_day and not any(
                d <= longest[m] for m in (cron.month or range(1, 13)) for d in cron.day):
            raise PydanticCustomError("schedule", _("cron 表达式“{value}”永远不会触发（日期不存在，如 2 月 30 日）").format(value=value))
        return value


class Numbers(Strict):
    """How the document writes numbers (briefing.fmt, docs/content.md "Numbers")."""
    group_from: Annotated[int, Field(ge=0)] = 10000     # GB/T 15835: no separator in 4-digit numbers; 0 = never
    separator: Literal[",", "thin", "none"] = ","
    percent_decimals: Annotated[int, Field(ge=0, le=4)] | None = None   # force one count on every percentage


class Document(Strict):
    title: str
    subtitle: str | None = None
    issue: Annotated[int, Field(ge=0)] | None = None
    supplement: StrictBool = False
    date: dt.date
    issuer: str
    author: str | None = None
    subject: str | None = None
    keywords: list[str] = []
    template: Annotated[str, OneOf(lambda: list(template_files()), "templates")] = "jianbao"   # or a folder's
    template_dirs: str | list[str] = []   # folders of templates (name.yaml), inside the content folder
    page_size: Literal["A4", "A3", "B4", "B5", "broadsheet", "tabloid"] | None = None
    theme: dict[str, Any] = {}
    numbers: Numbers = Numbers()
    distribution: Distribution | None = None
    banner: Banner | None = None
    data: dict[str, str | dict[str, Any]] = {}
    sections: Annotated[list[Section], Field(min_length=1)]
    schedule: Schedule | None = None
    output: str | None = None   # output file name pattern, e.g. "{date:%Y%m}-简报.pdf"

    @field_validator("sections")
    @classmethod
    def _unique_ids(cls, sections: list[Section]) -> list[Section]:
        seen: set[str] = set()
        for s in sections:
            if s.id in seen:
                raise ValueError(f"duplicate section id: {s.id}")
            seen.add(s.id)
        return sections


def _blocks_changed() -> None:
    """A block type registered (or removed) after this module was loaded: the union again, and the models
    that hold blocks built again with it (pydantic keeps a field's type as it was when the class was made)."""
    global Block
    Block = _block_union()
    ColumnsBlock.model_fields["columns"].annotation = list[list[Block]]
    Section.model_fields["blocks"].annotation = list[Block]
    for model in (ColumnsBlock, Section, Document):
        model.model_rebuild(force=True)


REGISTERED_BLOCKS.watch(_blocks_changed)
