"""The « Vue PERR » of the dashboard: the PERR tree (pillars › themes › objectives ›
sub-objectives) with what was done for each part in the chosen period, the parts where
nothing was done standing out, and the list of what was done for the selected part
(double-click opens the meeting or the walk)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.i18n import N_, _, ngettext
from perr_desktop.services import reference
from perr_desktop.services.indicators import OBJECTIVE_LEVELS, Filters
from perr_desktop.services.perr_activity import perr_activity
from perr_desktop.ui.councils import configure_table
from perr_desktop.ui.models import Column, RowsTableModel
from perr_desktop.ui.widgets import heading, hint, short_date

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
# Muted, and still readable on white and on the alternating rows (contrast above 4.5:1).
NOTHING_DONE_COLOR = "#6b7079"
LEVEL_NAMES = {"pillar": N_("pillar"), "theme": N_("theme"), "objective": N_("objective"),
               "sub_objective": N_("sub-objective")}


def node_label(node: dict[str, Any]) -> str:
    """« R3.07 — Label » in the interface's language."""
    label = node["label_en"] if i18n.get_language() == "en" and node["label_en"] \
        else node["label_fr"]
    return f"{node['code']} — {label}"


class PerrTreeModel(QAbstractItemModel):
    """The nodes of ``indicators.perr_view`` as a tree; columns: the part of the PERR,
    its meetings, agenda items and observations (totals of the part and everything below
    it), and « nothing this period » where nothing was done."""

    LABEL, MEETINGS, ITEMS, OBSERVATIONS, MARK = range(5)
    CodeRole = Qt.ItemDataRole.UserRole + 1
    NothingDoneRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.nodes: dict[str, dict[str, Any]] = {}
        self.children: dict[str | None, list[str]] = {None: []}
        self.parents: dict[str, str | None] = {}
        self.positions: dict[str, int] = {}
        self.headers = [_("Part of the PERR"), _("Meetings"), _("Items"),
                        _("Observations"), _("This period")]
        self.header_tips = [
            _("Pillar › theme › objective › sub-objective; the full text in the tooltip"),
            _("Meetings held linked to this part (themselves or by an agenda item), "
              "counted once"),
            _("Agenda items linked to this part"),
            _("Observations of the walks linked to this part"),
            _("« nothing this period »: no meeting, agenda item or observation")]

    def set_nodes(self, nodes: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.nodes = {n["code"]: n for n in nodes}
        self.children = {None: []}
        self.parents = {}
        for node in nodes:
            parent = node["parent_code"] if node["parent_code"] in self.nodes else None
            self.parents[node["code"]] = parent
            self.children.setdefault(parent, []).append(node["code"])
            self.children.setdefault(node["code"], [])
        self.positions = {code: n for kids in self.children.values()
                          for n, code in enumerate(kids)}
        self.endResetModel()

    # -- lookup --------------------------------------------------------------------------

    def node(self, index: Index) -> dict[str, Any] | None:
        if not index.isValid():
            return None
        return self.nodes.get(index.internalPointer())

    def index_of(self, code: str | None, column: int = 0) -> QModelIndex:
        if code not in self.nodes:
            return QModelIndex()
        # The index points at the model's own copy of the code, which lives as long as
        # the model's data (``code`` may be a temporary string).
        code = self.nodes[code]["code"]
        return self.createIndex(self.positions[code], column, code)

    # -- Qt model API --------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        kids = self.children.get(parent.internalPointer() if parent.isValid() else None, [])
        if not (0 <= row < len(kids) and 0 <= column < len(self.headers)):
            return QModelIndex()
        # The code (a str the model keeps) is the index's internal pointer.
        return self.createIndex(row, column, kids[row])

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self.parents.get(index.internalPointer())
        return QModelIndex() if parent is None else self.index_of(parent)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.children.get(parent.internalPointer() if parent.isValid() else None,
                                     []))

    def columnCount(self, parent: Index = _ROOT) -> int:
        return len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        column = index.column()
        nothing = node["nothing_done"]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.LABEL:
                return node_label(node)
            if column == self.MARK:
                return _("nothing this period") if nothing else ""
            key = {self.MEETINGS: "total_meetings", self.ITEMS: "total_agenda_items",
                   self.OBSERVATIONS: "total_observations"}[column]
            return i18n.format_number(node[key])
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(node)
        if role == Qt.ItemDataRole.ForegroundRole and nothing:
            return QBrush(QColor(NOTHING_DONE_COLOR))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            if node["level"] in ("pillar", "theme") and not nothing:
                font.setBold(True)
            if nothing and column == self.MARK:
                font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
                self.MEETINGS, self.ITEMS, self.OBSERVATIONS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.CodeRole:
            return node["code"]
        if role == self.NothingDoneRole:
            return nothing
        return None

    def tooltip(self, node: dict[str, Any]) -> str:
        counts = _("%(meetings)s meetings, %(items)s agenda items, %(observations)s "
                   "observations") % {
            "meetings": i18n.format_number(node["total_meetings"]),
            "items": i18n.format_number(node["total_agenda_items"]),
            "observations": i18n.format_number(node["total_observations"])}
        if node["nothing_done"]:
            counts = _("Nothing done for it this period.")
        return f"{node_label(node)}\n{_(LEVEL_NAMES.get(node['level'], node['level']))} · " \
               f"{counts}"

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tips[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class NothingDoneFilter(QSortFilterProxyModel):
    """« Only objectives with nothing done »: those objectives and sub-objectives, under
    their pillar and theme."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.only_nothing_done = False
        self.setRecursiveFilteringEnabled(True)

    def set_only_nothing_done(self, value: bool) -> None:
        self.beginFilterChange()
        self.only_nothing_done = value
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        if not self.only_nothing_done:
            return True
        model = self.sourceModel()
        node = model.node(model.index(row, 0, parent))
        return bool(node and node["level"] in OBJECTIVE_LEVELS and node["nothing_done"])


class PerrView(QWidget):
    """The tree on the left; what was done for the selected part on the right."""

    openMeeting = Signal(str)
    openObservation = Signal(str, str)   # walk id, observation id

    def __init__(self, db, filters: Callable[[], Filters | None],
                 today: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.filters = filters
        self.today = today
        self.rows: list[dict[str, Any]] = []
        self.kinds: dict[str, str] = {}
        self.themes: dict[str, str] = {}

        self.model = PerrTreeModel(self)
        self.proxy = NothingDoneFilter(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setAccessibleName(_("The PERR and what was done for it"))
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.only_nothing = QCheckBox(_("Only the objectives with &nothing done"))
        self.only_nothing.setToolTip(_("Show only the objectives and sub-objectives with "
                                       "no meeting, agenda item or observation in the "
                                       "period"))
        self.only_nothing.toggled.connect(self._filter_changed)
        self.coverage = QLabel()
        self.coverage.setWordWrap(True)

        self.title = heading("", level=2)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts = hint("")
        self.nothing_hint = hint(_("Nothing was done for this part of the PERR in the "
                                   "period: no meeting, agenda item or observation is "
                                   "linked to it."))
        columns = [
            Column("date", _("Date"), lambda r: short_date(r["date"])),
            Column("what", _("What"), lambda r: r["what"]),
            Column("text", _("Title"), lambda r: r["text"], tooltip=lambda r: r["text"]),
            Column("council_name", _("Council")),
            Column("codes", _("Linked to"), lambda r: r["codes"],
                   tooltip=lambda r: "\n".join(
                       node_label(self.model.nodes[c]) if c in self.model.nodes else c
                       for c in r["codes"].split(", "))),
        ]
        self.detail_model = RowsTableModel(columns, lambda: self.rows, self, key="key")
        self.detail = QTableView()
        configure_table(self.detail, _("What was done"))
        self.detail.setModel(self.detail_model)
        self.detail.setTextElideMode(Qt.TextElideMode.ElideRight)
        detail_header = self.detail.horizontalHeader()
        detail_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        detail_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        detail_header.setStretchLastSection(False)
        self.open_hint = hint(_("Double-click a line (or press Enter) to open the meeting "
                                "or the walk."))
        self.detail.doubleClicked.connect(lambda index: self.open_row(index.row()))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.detail)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self._open_current)
        self.tree.selectionModel().currentRowChanged.connect(lambda *_a: self.show_selected())

        # The tree takes the whole width (the parts' names are long), what was done for
        # the selected part opens beneath it, as on the Follow-up page.
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.coverage, 1)
        top.addWidget(self.only_nothing)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.tree, 1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.title)
        lower_layout.addWidget(self.counts)
        lower_layout.addWidget(self.nothing_hint)
        lower_layout.addWidget(self.detail, 1)
        lower_layout.addWidget(self.open_hint)
        lower_layout.addStretch(0)   # takes the room when there is no list to show
        self.lower_layout = lower_layout
        line = self.fontMetrics().height()
        self.tree.setMinimumHeight(line * 6)
        self.detail.setMinimumHeight(line * 4)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(splitter)
        self.stale = True

    # -- loading -------------------------------------------------------------------------

    def refresh(self, nodes: list[dict[str, Any]]) -> None:
        """Show ``nodes`` (``indicators.perr_view``), keeping the selected part."""
        current = self.current_code()
        self.kinds = reference.vocabulary_labels(self.db, "meeting_kind")
        self.themes = reference.vocabulary_labels(self.db, "observation_theme")
        self.model.set_nodes(nodes)
        objectives = [n for n in nodes if n["level"] in OBJECTIVE_LEVELS]
        covered = sum(1 for n in objectives if not n["nothing_done"])
        self.coverage.setText(ngettext(
            "%(covered)s of %(total)s objective worked on in the period; where nothing "
            "was done, the line is greyed and says « nothing this period ».",
            "%(covered)s of %(total)s objectives worked on in the period; where nothing "
            "was done, the line is greyed and says « nothing this period ».",
            len(objectives)) % {"covered": i18n.format_number(covered),
                                "total": i18n.format_number(len(objectives))})
        self._expand()
        index = self.proxy.mapFromSource(self.model.index_of(current))
        if not index.isValid():
            index = self.proxy.index(0, 0)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        self.show_selected()
        self.stale = False

    def _expand(self) -> None:
        """Pillars open on their themes; everything open when the tree is short (one
        theme chosen, or only the objectives with nothing done)."""
        if self.only_nothing.isChecked() or len(self.model.nodes) <= 40:
            self.tree.expandAll()
            return
        self.tree.collapseAll()
        for row in range(self.proxy.rowCount()):
            self.tree.expand(self.proxy.index(row, 0))

    def _filter_changed(self, checked: bool) -> None:
        current = self.current_code()
        self.proxy.set_only_nothing_done(checked)
        self._expand()
        index = self.proxy.mapFromSource(self.model.index_of(current))
        node = self.model.nodes.get(current) if current else None
        if checked and not (node and node["nothing_done"]
                            and node["level"] in OBJECTIVE_LEVELS):
            index = self._first_leaf()   # the first objective with nothing done
        elif not index.isValid():
            index = self.proxy.index(0, 0)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        self.show_selected()

    def _first_leaf(self) -> QModelIndex:
        index = self.proxy.index(0, 0)
        while index.isValid() and self.proxy.rowCount(index):
            index = self.proxy.index(0, 0, index)
        return index

    def current_code(self) -> str | None:
        index = self.tree.currentIndex()
        return index.data(PerrTreeModel.CodeRole) if index.isValid() else None

    def select(self, code: str) -> None:
        index = self.proxy.mapFromSource(self.model.index_of(code))
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    # -- the selected part ---------------------------------------------------------------

    def show_selected(self) -> None:
        code = self.current_code()
        node = self.model.nodes.get(code) if code else None
        filters = self.filters()
        if node is None or filters is None:
            self.title.setText(_("No part of the PERR selected") if filters else "")
            self.counts.clear()
            self.rows = []
            self.nothing_hint.hide()
        else:
            self.title.setText(node_label(node))
            self.counts.setText(self.model.tooltip(node).split("\n", 1)[1])
            self.rows = [] if node["nothing_done"] else self._rows(
                perr_activity(self.db, filters, code, self.today()))
            self.nothing_hint.setVisible(node["nothing_done"])
        self.detail_model.refresh()
        self.detail.setVisible(bool(self.rows))
        self.open_hint.setVisible(bool(self.rows))
        self.lower_layout.setStretch(self.lower_layout.count() - 1, 0 if self.rows else 1)

    def _rows(self, found: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
        rows = []
        for m in found["meetings"]:
            rows.append({
                "key": f"m:{m['id']}", "kind": "meeting", "meeting_id": m["id"],
                "date": m["date"], "sort": (m["starts_at"], 0, 0), "what": _("Meeting"),
                "text": f"{m['title']} ({self.kinds.get(m['kind'], m['kind'])})",
                "council_name": m["council_name"], "codes": ", ".join(m["codes"])})
        for item in found["agenda_items"]:
            rows.append({
                "key": f"i:{item['id']}", "kind": "item", "meeting_id": item["meeting_id"],
                "date": item["date"], "sort": (item["starts_at"], 1, item["position"]),
                "what": _("Agenda item"),
                "text": _("%(item)s — at « %(meeting)s »") % {
                    "item": item["title"], "meeting": item["meeting_title"]},
                "council_name": item["council_name"], "codes": item["objective_code"]})
        for o in found["observations"]:
            theme = self.themes.get(o["theme"], o["theme"]) if o["theme"] else _("no theme")
            sign = _("strong point") if o["positive"] else _("weak point")
            description = (o["description"] or "").strip().split("\n", 1)[0]
            rows.append({
                "key": f"o:{o['id']}", "kind": "observation", "walk_id": o["walk_id"],
                "observation_id": o["id"], "date": o["date"], "sort": (o["date"], 2,
                                                                       o["number"]),
                "what": _("Observation"),
                "text": _("No. %(number)d, %(theme)s, %(sign)s: %(text)s — %(walk)s") % {
                    "number": o["number"], "theme": theme, "sign": sign,
                    "text": description, "walk": o["walk_title"]},
                "council_name": o["council_name"], "codes": o["objective_code"]})
        rows.sort(key=lambda r: r["sort"])
        return rows

    def _open_current(self) -> None:
        index = self.detail.currentIndex()
        if index.isValid():
            self.open_row(index.row())

    def open_row(self, row: int) -> None:
        record = self.detail_model.record(row)
        if record is None:
            return
        if record["kind"] == "observation":
            self.openObservation.emit(record["walk_id"], record["observation_id"])
        else:
            self.openMeeting.emit(record["meeting_id"])
