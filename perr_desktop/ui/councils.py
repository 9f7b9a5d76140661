"""Councils: the list, and one council's details and members, saved as typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.domain.councils import STATUS_LABELS, CouncilStatus, status_label
from perr_desktop.domain.people import is_active
from perr_desktop.i18n import _, ngettext
from perr_desktop.services import councils, people, reference
from perr_desktop.ui.autosave import FormBinder
from perr_desktop.ui.members import MembershipDialog, end_membership
from perr_desktop.ui.models import Column, rows_model
from perr_desktop.ui.style import set_role
from perr_desktop.ui.widgets import (
    ErrorBanner,
    OptionalDateEdit,
    accessible,
    confirm,
    fit_list_height,
    heading,
    hint,
    reporting,
    resize_to_contents_when_shown,
    short_date,
)


def configure_table(view: QTableView, name: str) -> None:
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    # One line of text per row, with some air; not the style's taller default.
    view.verticalHeader().setDefaultSectionSize(int(view.fontMetrics().height() * 1.8))
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(True)
    # Columns sized to their contents measure the rows on screen only: Qt's default
    # reads a thousand rows of each column, which loads them all in a lazy model.
    view.horizontalHeader().setResizeContentsPrecision(0)
    view.setTabKeyNavigation(False)


class NewCouncilDialog(QDialog):
    """The minimum to create a council: a name and a status; the rest is edited after."""

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.council_id: str | None = None
        self.setWindowTitle(_("New council"))
        self.name = accessible(QLineEdit(self), _("Name"))
        self.name.setPlaceholderText(_("e.g. Basseau Grande-Garenne"))
        self.status = accessible(QComboBox(self), _("Status"))
        for status in CouncilStatus:
            self.status.addItem(_(STATUS_LABELS[status]), status.value)
        self.neighbourhood = accessible(QComboBox(self), _("Priority neighbourhood"))
        self.neighbourhood.addItem(_("None for now"), None)
        for n in reference.neighbourhoods(db):
            self.neighbourhood.addItem(f"{n['name']} ({n['commune']})", n["id"])
        self.neighbourhood.currentIndexChanged.connect(self._suggest_name)
        self.banner = ErrorBanner(self)
        form = QFormLayout()
        form.addRow(_("Priority &neighbourhood"), self.neighbourhood)
        form.addRow(_("&Name"), self.name)
        form.addRow(_("&Status"), self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        create = buttons.addButton(_("Create the council"), QDialogButtonBox.ButtonRole.AcceptRole)
        create.setDefault(True)
        buttons.accepted.connect(self._create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(hint(_("Facilitator, venue, members: you fill them in next, and "
                                "they are saved as you type.")))
        layout.addWidget(buttons)

    def _suggest_name(self) -> None:
        if self.neighbourhood.currentData() and not self.name.text().strip():
            self.name.setText(self.neighbourhood.currentText().rsplit(" (", 1)[0])

    def _create(self) -> None:
        from perr_desktop.errors import UserError

        try:
            hood = self.neighbourhood.currentData()
            self.council_id = councils.create_council(
                self.db, self.name.text(), self.status.currentData(),
                [hood] if hood else [],
            )
        except UserError as exc:
            self.banner.show_message(exc.message)
            self.name.setFocus()
            return
        self.accept()


class CouncilDetail(QWidget):
    """One council: its information (saved as typed) and its members."""

    saved = Signal(dict)
    openPerson = Signal(str)
    membersChanged = Signal()

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.council_id: str | None = None

        self.title = heading("")
        self.status_chip = QLabel()
        set_role(self.status_chip, "chip")
        self.banner = ErrorBanner(self)
        self.binder = FormBinder(self._save, self.banner, self)

        self.name = accessible(QLineEdit(), _("Name"))
        self.status = accessible(QComboBox(), _("Status"))
        for status in CouncilStatus:
            self.status.addItem(_(STATUS_LABELS[status]), status.value)
        self.neighbourhoods = accessible(QListWidget(), _("Priority neighbourhoods"),
                                         _("Tick the neighbourhoods the council covers."))
        for n in reference.neighbourhoods(db):
            item = QListWidgetItem(f"{n['name']} ({n['commune']})")
            item.setData(Qt.ItemDataRole.UserRole, n["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.neighbourhoods.addItem(item)
        fit_list_height(self.neighbourhoods)
        self.facilitator = accessible(QLineEdit(), _("Facilitator"))
        self.facilitator_contact = accessible(QLineEdit(), _("Facilitator's contact"),
                                              _("Telephone or email of the facilitator"))
        self.venue = accessible(QLineEdit(), _("Usual venue"))
        self.venue.setPlaceholderText(_("e.g. Maison de quartier, salle polyvalente"))
        self.recognised_on = OptionalDateEdit()
        self.recognised_on.setAccessibleName(_("Date of the prefectoral order"))
        self.notes = accessible(QPlainTextEdit(), _("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)

        b = self.binder
        b.bind_line("name", self.name)
        b.bind_combo("status", self.status)
        b.bind("neighbourhood_ids", self.neighbourhoods, self._checked_neighbourhoods,
               self._set_neighbourhoods, self.neighbourhoods.itemChanged)
        b.bind_line("facilitator_name", self.facilitator)
        b.bind_line("facilitator_contact", self.facilitator_contact)
        b.bind_line("venue", self.venue)
        b.bind_date("recognised_on", self.recognised_on)
        b.bind_text("notes", self.notes)
        b.saved.connect(self._after_save)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("&Name"), self.name)
        form.addRow(_("&Status"), self.status)
        form.addRow(_("Priority &neighbourhoods"), self.neighbourhoods)
        form.addRow(_("&Facilitator"), self.facilitator)
        form.addRow(_("Facilitator's &contact"), self.facilitator_contact)
        form.addRow(_("Usual &venue"), self.venue)
        form.addRow(_("Prefectoral &order of"), self.recognised_on)
        form.addRow(_("N&otes"), self.notes)
        self.delete_button = QPushButton(_("Delete this council…"))
        self.delete_button.clicked.connect(self._delete)

        info = QWidget()
        info_layout = QVBoxLayout(info)
        info_layout.addWidget(self.banner)
        info_layout.addLayout(form)
        info_layout.addWidget(hint(_("Changes are saved as you type.")))
        info_layout.addStretch(1)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.delete_button)
        info_layout.addLayout(footer)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(info)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.members_tab = self._build_members_tab()
        self._members_stale = True
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, _("&Information"))
        self.tabs.addTab(self.members_tab, _("&Members"))
        # The members (hundreds of rows in a large council) are read when their tab is
        # shown, not at every council shown in the information tab.
        self.tabs.currentChanged.connect(lambda _i: self._members_shown())

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.status_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        self.setEnabled(False)

    # -- members ---------------------------------------------------------------------

    def _build_members_tab(self) -> QWidget:
        colleges = reference.vocabulary_labels(self.db, "college")
        roles = reference.vocabulary_labels(self.db, "member_role")
        columns = [
            Column("name", _("Name")),
            Column("organisation", _("Organisation")),
            Column("college", _("College"), lambda r: colleges.get(r["college"], r["college"]),
                   sort="college"),
            Column("role", _("Role"), lambda r: roles.get(r["role"], r["role"]), sort="role"),
            Column("joined_on", _("Member since"), lambda r: short_date(r["joined_on"]),
                   sort="joined_on"),
            Column("left_on", _("Left on"), lambda r: short_date(r["left_on"]), sort="left_on"),
        ]
        columns[0].sort = "sort_key"
        columns[1].sort = "organisation"
        self.show_former = QCheckBox(_("Show &former members"))
        self.members_model = rows_model(columns, self._member_rows, self)
        self.members_view = QTableView()
        configure_table(self.members_view, _("Members of the council"))
        self.members_view.setModel(self.members_model)
        self.members_view.setSortingEnabled(True)
        self.members_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        resize_to_contents_when_shown(self.members_view)
        self.members_summary = QLabel()
        self.members_summary.setWordWrap(True)

        self.add_member_button = QPushButton(_("&Add a member…"))
        self.edit_member_button = QPushButton(_("&Edit membership…"))
        self.end_member_button = QPushButton(_("End of membership…"))
        self.open_person_button = QPushButton(_("Open the person's &record"))
        self.remove_member_button = QPushButton(_("Remove (entered by mistake)…"))
        self.add_member_button.clicked.connect(self.add_member)
        self.edit_member_button.clicked.connect(self.edit_member)
        self.end_member_button.clicked.connect(self.end_member)
        self.open_person_button.clicked.connect(self._open_person)
        self.remove_member_button.clicked.connect(self.remove_member)
        self.members_view.doubleClicked.connect(lambda _i: self.edit_member())
        self.members_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.show_former.toggled.connect(lambda _c: self.refresh_members())

        # Two rows of buttons: the page must fit a small laptop screen at 150 %.
        first, second = QHBoxLayout(), QHBoxLayout()
        for button in (self.add_member_button, self.edit_member_button,
                       self.end_member_button):
            first.addWidget(button)
        first.addStretch(1)
        second.addWidget(self.open_person_button)
        second.addStretch(1)
        second.addWidget(self.remove_member_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.members_summary)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.show_former)
        layout.addWidget(self.members_view, 1)
        self._update_buttons()
        return tab

    def _member_rows(self) -> list[dict[str, Any]]:
        if self.council_id is None:
            return []
        rows = councils.council_members(self.db, self.council_id)
        self._summarise(rows)
        if not self.show_former.isChecked():
            rows = [r for r in rows if r["active"]]
        return rows

    def _summarise(self, rows: list[dict[str, Any]]) -> None:
        active = [r for r in rows if r["active"]]
        residents = [r for r in active if r["college"] == "habitants"]
        women = sum(1 for r in residents if r["gender"] == "femme")
        men = sum(1 for r in residents if r["gender"] == "homme")
        text = ngettext("%(count)d current member", "%(count)d current members",
                        len(active)) % {"count": len(active)}
        text += " — " + ngettext(
            "%(count)d resident", "%(count)d residents", len(residents)
        ) % {"count": len(residents)}
        text += " (" + ngettext("%(count)d woman", "%(count)d women", women) % {"count": women}
        text += ", " + ngettext("%(count)d man", "%(count)d men", men) % {"count": men} + ")"
        others = len(active) - len(residents)
        text += ", " + ngettext("%(count)d local stakeholder", "%(count)d local stakeholders",
                                others) % {"count": others}
        former = len(rows) - len(active)
        if former:
            text += " — " + ngettext("%(count)d former member", "%(count)d former members",
                                     former) % {"count": former}
        self.members_summary.setText(text)

    def refresh_members(self) -> None:
        """Read the members again now if their tab is shown, else when it is."""
        self._members_stale = True
        self._members_shown()

    def _members_shown(self) -> None:
        if not self._members_stale or self.tabs.currentWidget() is not self.members_tab:
            return
        self._members_stale = False
        selected = self._selected_membership()
        self.members_model.refresh()
        row = self.members_model.row_of(selected["id"] if selected else None)
        if row >= 0:
            self.members_view.selectRow(row)
        self._update_buttons()

    def _selected_membership(self) -> dict[str, Any] | None:
        rows = self.members_view.selectionModel().selectedRows()
        return self.members_model.record(rows[0].row()) if rows else None

    def _update_buttons(self, *_args) -> None:
        selected = self._selected_membership()
        for button in (self.edit_member_button, self.open_person_button,
                       self.remove_member_button):
            button.setEnabled(selected is not None)
        self.end_member_button.setEnabled(selected is not None and is_active(selected))

    def add_member(self) -> None:
        if self.council_id is None:
            return
        dialog = MembershipDialog(self.db, self, council_id=self.council_id)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh_members()
            row = self.members_model.row_of(dialog.membership_id)
            if row >= 0:
                self.members_view.selectRow(row)
            self.membersChanged.emit()

    def edit_member(self) -> None:
        selected = self._selected_membership()
        if selected is None:
            return
        dialog = MembershipDialog(self.db, self, membership_id=selected["id"])
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh_members()
            self.membersChanged.emit()

    def end_member(self) -> None:
        selected = self._selected_membership()
        if selected is not None and end_membership(self.db, self, selected):
            self.refresh_members()
            self.membersChanged.emit()

    def remove_member(self) -> None:
        selected = self._selected_membership()
        if selected is None:
            return
        question = _("Remove %(name)s from this council's members? Use this only for a "
                     "membership entered by mistake; when someone leaves, use “End of "
                     "membership” so the council's history stays right.") % {
            "name": selected["name"]}
        if confirm(self, question, _("Remove")):
            with reporting(self):
                people.remove_membership(self.db, selected["id"])
                self.refresh_members()
                self.membersChanged.emit()

    def _open_person(self) -> None:
        selected = self._selected_membership()
        if selected is not None:
            self.openPerson.emit(selected["person_id"])

    # -- council ---------------------------------------------------------------------

    def _record(self, council_id: str) -> dict[str, Any]:
        council = councils.get_council(self.db, council_id, members=False)
        council["neighbourhood_ids"] = [n["id"] for n in council["neighbourhoods"]]
        return council

    def load(self, council_id: str | None) -> None:
        self.binder.flush()
        self.council_id = council_id
        record = self._record(council_id) if council_id else None
        self.binder.load(record)
        self.setEnabled(record is not None)
        self._show_header(record)
        self.refresh_members()

    def _show_header(self, record: dict[str, Any] | None) -> None:
        self.title.setText(record["name"] if record else _("No council selected"))
        self.status_chip.setText(status_label(record["status"]) if record else "")
        self.status_chip.setVisible(record is not None)

    def _checked_neighbourhoods(self) -> list[str]:
        return [
            self.neighbourhoods.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.neighbourhoods.count())
            if self.neighbourhoods.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _set_neighbourhoods(self, ids: list[str] | None) -> None:
        wanted = set(ids or [])
        with QSignalBlocker(self.neighbourhoods):
            for i in range(self.neighbourhoods.count()):
                item = self.neighbourhoods.item(i)
                checked = item.data(Qt.ItemDataRole.UserRole) in wanted
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _save(self, changes: dict[str, Any]) -> dict[str, Any]:
        assert self.council_id is not None
        if "neighbourhood_ids" in changes:
            councils.set_neighbourhoods(self.db, self.council_id, changes.pop("neighbourhood_ids"))
        if changes:
            councils.update_council(self.db, self.council_id, **changes)
        return self._record(self.council_id)

    def _after_save(self, record: dict[str, Any]) -> None:
        self._show_header(record)
        self.saved.emit(record)

    def _delete(self) -> None:
        if self.council_id is None:
            return
        record = self.binder.record or {}
        question = _("Delete the council “%(name)s”? Its members stay in the directory.") % {
            "name": record.get("name", "")}
        if confirm(self, question, _("Delete")):
            with reporting(self):
                councils.delete_council(self.db, self.council_id)
                self.council_id = None
                self.saved.emit({"deleted": True})

    def flush(self) -> bool:
        return self.binder.flush()


class CouncilsPage(QWidget):
    saved = Signal(dict)
    openPerson = Signal(str)
    councilsChanged = Signal()
    membersChanged = Signal()

    def __init__(self, db, settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.title = _("Councils")

        columns = [
            Column("name", _("Council"), sort="name"),
            Column("status", _("Status"), lambda r: status_label(r["status"]), sort="status"),
            Column("neighbourhood_names", _("Neighbourhoods"), sort="neighbourhood_names"),
            Column("member_count", _("Members"), sort="member_count", align_right=True),
        ]
        self.model = rows_model(columns, lambda: councils.list_councils(db), self)
        self.view = QTableView()
        configure_table(self.view, _("Councils"))
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.new_button = QPushButton(_("&New council…"))
        self.new_button.setToolTip(_("New council (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_record)
        self.empty_hint = hint(_("No council yet: create the first one with “New council”."))

        self.detail = CouncilDetail(db, self)
        self.detail.saved.connect(self._detail_saved)
        self.detail.openPerson.connect(self.openPerson)
        self.detail.membersChanged.connect(self._members_changed)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(heading(_("Citizen councils")), 1)
        top.addWidget(self.new_button)
        left_layout.addLayout(top)
        left_layout.addWidget(self.empty_hint)
        left_layout.addWidget(self.view, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 1)
        left.setMinimumWidth(self.fontMetrics().averageCharWidth() * 48)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh(select=settings.default_council_id)

    def refresh(self, select: str | None = None) -> None:
        current = select or self.detail.council_id
        with QSignalBlocker(self.view.selectionModel()):
            self.model.refresh()
        self.empty_hint.setVisible(self.model.rowCount() == 0)
        row = self.model.row_of(current)
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            # Silently: the council is loaded just below, once (not also by the signal).
            with QSignalBlocker(self.view.selectionModel()):
                self.view.selectRow(row)
        self.detail.load(self.model.id_at(row) if row >= 0 else None)

    def _selection_changed(self, *_args) -> None:
        rows = self.view.selectionModel().selectedRows()
        council_id = self.model.id_at(rows[0].row()) if rows else None
        if council_id != self.detail.council_id:
            self.detail.load(council_id)

    def _detail_saved(self, record: dict[str, Any]) -> None:
        if record.get("deleted"):
            self.refresh()
            self.councilsChanged.emit()
        else:
            self.model.reload_rows([record["id"]])
            if {"name"} & record.keys():
                self.councilsChanged.emit()
        self.saved.emit(record)

    def _members_changed(self) -> None:
        self.model.reload_rows([self.detail.council_id] if self.detail.council_id else [])
        self.refresh()
        self.membersChanged.emit()

    def refresh_members(self) -> None:
        self.detail.refresh_members()
        self.refresh()

    def new_record(self) -> None:
        dialog = NewCouncilDialog(self.db, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh(select=dialog.council_id)
            self.councilsChanged.emit()
            self.detail.tabs.setCurrentIndex(0)
            self.detail.facilitator.setFocus()

    def open_council(self, council_id: str) -> None:
        self.refresh(select=council_id)

    def activate(self) -> None:
        self.refresh()

    def flush(self) -> bool:
        return self.detail.flush()
