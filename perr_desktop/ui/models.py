"""Thin table models: a list of ids, and rows fetched a page at a time when shown.

The view asks only for the rows on screen, so a list of 20,000 people opens as fast as
a list of twenty (the pattern of Anki's browser model). Sorting happens in SQL: the
model asks its ``load_ids`` again with the chosen sort key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from perr_desktop.domain.text import search_key

Row = dict[str, Any]
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass
class Column:
    key: str
    title: str
    display: Callable[[Row], str] | None = None
    sort: str | None = None          # the sort key given to load_ids; None: not sortable
    align_right: bool = False
    tooltip: Callable[[Row], str] | None = None

    def text(self, row: Row) -> str:
        if self.display is not None:
            return self.display(row)
        value = row.get(self.key)
        return "" if value is None else str(value)


class LazyTableModel(QAbstractTableModel):
    """Rows ``load_rows(ids)`` for the ids ``load_ids(sort, descending)`` returned."""

    PAGE = 100
    CACHE_LIMIT = 5000
    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(
        self,
        columns: list[Column],
        load_ids: Callable[[str | None, bool], list[str]],
        load_rows: Callable[[list[str]], dict[str, Row]],
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._columns = columns
        self._load_ids = load_ids
        self._load_rows = load_rows
        self._ids: list[str] = []
        self._positions: dict[str, int] | None = None
        self._cache: dict[str, Row] = {}
        self._sort: str | None = None
        self._descending = False
        # Nothing is read before the first refresh(): a view sorted while its page is
        # being built must not load the list once for the sort and again for the page.
        self._loaded = False

    # -- loading ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask for the ids again (filter or sort changed, records added or removed)."""
        ids = self._load_ids(self._sort, self._descending)
        self._loaded = True
        self.beginResetModel()
        self._ids = ids
        self._positions = None
        self._cache.clear()
        self.endResetModel()

    def reload_rows(self, ids: Iterable[str]) -> None:
        """Fetch these rows again (they were edited) and repaint them in place."""
        for record_id in ids:
            self._cache.pop(record_id, None)
            row = self.row_of(record_id)
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0),
                                      self.index(row, len(self._columns) - 1))

    def _row(self, position: int) -> Row:
        record_id = self._ids[position]
        row = self._cache.get(record_id)
        if row is None:
            if len(self._cache) > self.CACHE_LIMIT:
                self._cache.clear()
            start = position - position % self.PAGE
            page = [i for i in self._ids[start:start + self.PAGE] if i not in self._cache]
            self._cache.update(self._load_rows(page))
            row = self._cache.get(record_id, {})
        return row

    # -- lookup ----------------------------------------------------------------------

    def id_at(self, position: int) -> str | None:
        return self._ids[position] if 0 <= position < len(self._ids) else None

    def row_of(self, record_id: str | None) -> int:
        if record_id is None:
            return -1
        if self._positions is None:
            self._positions = {rid: i for i, rid in enumerate(self._ids)}
        return self._positions.get(record_id, -1)

    def record(self, position: int) -> Row | None:
        return self._row(position) if 0 <= position < len(self._ids) else None

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    # -- Qt model API ----------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(self._row(index.row()))
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(self._row(index.row()))
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.IdRole:
            return self._ids[index.row()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._columns[section].title
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns) or self._columns[column].sort is None:
            return
        self._sort = self._columns[column].sort
        self._descending = order == Qt.SortOrder.DescendingOrder
        if self._loaded:
            self.refresh()


class RowsTableModel(LazyTableModel):
    """A model over a short list loaded whole (councils, a council's members, meetings):
    sorting happens here, and an edited row is read again with the whole list."""

    def __init__(self, columns: list[Column], load: Callable[[], list[Row]], parent=None,
                 key: str = "id") -> None:
        self._load = load
        self._key = key
        self._stash: dict[str, Row] = {}
        super().__init__(columns, self._ids_for, self._rows_for, parent)

    def _ids_for(self, sort: str | None, descending: bool) -> list[str]:
        rows = self._load()
        if sort is not None:
            # Empty values (no leaving date…) stay at the end whichever the direction.
            filled = [r for r in rows if r.get(sort) not in (None, "")]
            empty = [r for r in rows if r.get(sort) in (None, "")]
            filled.sort(key=lambda r: _sort_value(r.get(sort)), reverse=descending)
            rows = filled + empty
        self._stash = {r[self._key]: r for r in rows}
        return [r[self._key] for r in rows]

    def _rows_for(self, ids: list[str]) -> dict[str, Row]:
        if any(i not in self._stash for i in ids):
            self._stash.update({r[self._key]: r for r in self._load()})
        return {i: self._stash[i] for i in ids if i in self._stash}

    def reload_rows(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for record_id in ids:
            self._stash.pop(record_id, None)
        super().reload_rows(ids)


def rows_model(columns: list[Column], load: Callable[[], list[Row]], parent=None,
               key: str = "id") -> RowsTableModel:
    return RowsTableModel(columns, load, parent, key)


def _sort_value(value: Any) -> Any:
    return search_key(value) if isinstance(value, str) else value
