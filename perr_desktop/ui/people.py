"""The directory of people: search as you type over thousands, and one person's record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
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
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.domain.people import formal_name
from perr_desktop.i18n import _, ngettext
from perr_desktop.services import councils, people, reference
from perr_desktop.ui import privacy as privacy_ui
from perr_desktop.ui.autosave import FormBinder
from perr_desktop.ui.councils import configure_table
from perr_desktop.ui.members import (
    MembershipDialog,
    NewPersonDialog,
    civility_combo,
    consent_choices,
    end_membership,
)
from perr_desktop.ui.models import Column, LazyTableModel
from perr_desktop.ui.style import set_role
from perr_desktop.ui.widgets import (
    ErrorBanner,
    OptionalDateEdit,
    accessible,
    confirm,
    fill_combo,
    heading,
    hint,
    reporting,
    section,
    short_date,
)

SEARCH_DELAY_MS = 150


def consent_text(row: dict[str, Any]) -> str:
    scopes = []
    if row["consent_contact"]:
        scopes.append(_("contact"))
    if row["consent_photos"]:
        scopes.append(_("photos"))
    if not scopes:
        return _("none recorded") if not row["consent_date"] else _("refused")
    text = ", ".join(scopes)
    if row["consent_date"]:
        text += f" ({short_date(row['consent_date'])})"
    return text


class PersonForm(QWidget):
    """One person's record, saved as typed."""

    saved = Signal(dict)
    deleted = Signal(str)
    openCouncil = Signal(str)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.person_id: str | None = None
        self.title = heading("")
        self.banner = ErrorBanner(self)
        self.binder = FormBinder(self._save, self.banner, self)

        self.gender = civility_combo()
        self.first_name = accessible(QLineEdit(), _("First name"))
        self.last_name = accessible(QLineEdit(), _("Last name"))
        self.organisation = accessible(QLineEdit(), _("Organisation"),
                                       _("For a local stakeholder: the association, business "
                                         "or service they represent"))
        this_year = dt.date.today().year
        self.birth_year = accessible(QSpinBox(), _("Year of birth"),
                                     _("Optional; used only to count young participants"))
        self.birth_year.setRange(1899, this_year)
        self.birth_year.setSpecialValueText(_("not given"))
        self.birth_year.setGroupSeparatorShown(False)
        self.lives_in_qpv = accessible(QComboBox(), _("Lives in a priority neighbourhood"))
        self.lives_in_qpv.addItem(_("not known"), None)
        self.lives_in_qpv.addItem(_("yes"), 1)
        self.lives_in_qpv.addItem(_("no"), 0)
        self.email = accessible(QLineEdit(), _("Email"))
        self.phone = accessible(QLineEdit(), _("Telephone"))
        self.address = accessible(QPlainTextEdit(), _("Postal address"))
        self.address.setTabChangesFocus(True)
        self.address.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        self.consent_date = OptionalDateEdit()
        self.consent_date.setAccessibleName(_("Date of consent"))
        self.consent_contact = QCheckBox(_("being contacted (email, telephone, post)"))
        self.consent_photos = QCheckBox(_("appearing in photos"))
        self.notes = accessible(QPlainTextEdit(), _("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)

        b = self.binder
        b.bind_combo("gender", self.gender)
        b.bind_line("first_name", self.first_name)
        b.bind_line("last_name", self.last_name)
        b.bind_line("organisation", self.organisation)
        b.bind_year("birth_year", self.birth_year)
        b.bind_combo("lives_in_qpv", self.lives_in_qpv)
        b.bind_line("email", self.email)
        b.bind_line("phone", self.phone)
        b.bind_text("address", self.address)
        b.bind_date("consent_date", self.consent_date)
        b.bind_check("consent_contact", self.consent_contact)
        b.bind_check("consent_photos", self.consent_photos)
        b.bind_text("notes", self.notes)
        b.saved.connect(self._after_save)

        self.memberships = QListWidget()
        self.memberships.setAccessibleName(_("Memberships"))
        self.memberships.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.add_membership_button = QPushButton(_("Add to a &council…"))
        self.edit_membership_button = QPushButton(_("Edit membership…"))
        self.end_membership_button = QPushButton(_("End of membership…"))
        self.add_membership_button.clicked.connect(self.add_membership)
        self.edit_membership_button.clicked.connect(self.edit_membership)
        self.end_membership_button.clicked.connect(self.end_membership)
        self.memberships.itemDoubleClicked.connect(lambda _i: self.edit_membership())
        self.memberships.currentRowChanged.connect(lambda _r: self._update_buttons())
        membership_buttons = QHBoxLayout()
        membership_buttons.addWidget(self.add_membership_button)
        membership_buttons.addWidget(self.edit_membership_button)
        membership_buttons.addWidget(self.end_membership_button)
        membership_buttons.addStretch(1)

        # One form for all sections, so that every label lines up.
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(section(_("Identity")))
        form.addRow(_("&Civility"), self.gender)
        form.addRow(_("&First name"), self.first_name)
        form.addRow(_("&Last name"), self.last_name)
        form.addRow(_("&Organisation"), self.organisation)
        form.addRow(_("&Year of birth"), self.birth_year)
        form.addRow(_("Lives in a &priority neighbourhood"), self.lives_in_qpv)
        form.addRow(section(_("Contact details (optional)")))
        form.addRow(_("&Email"), self.email)
        form.addRow(_("&Telephone"), self.phone)
        form.addRow(_("Postal &address"), self.address)
        form.addRow(section(_("Consent")))
        form.addRow(_("Given o&n"), self.consent_date)
        form.addRow(_("Agrees to"), consent_choices(self.consent_contact, self.consent_photos))
        form.addRow(hint(_("Record the consent the person gave in writing; without it, "
                           "keep no contact details and leave them out of photos.")))
        # Residents' rights (RGPD), beside their consent: a copy of everything, or erasure
        # for good (at the foot of the form they were below the fold on a laptop).
        self.export_button = QPushButton(_("E&xport their data…"))
        self.export_button.clicked.connect(self._export_data)
        self.erase_button = QPushButton(_("Erase this person…"))
        self.erase_button.clicked.connect(self._erase)
        rights = QHBoxLayout()
        rights.addWidget(self.export_button)
        rights.addWidget(self.erase_button)
        rights.addStretch(1)
        form.addRow(rights)
        form.addRow(section(_("Councils")))
        form.addRow(self.memberships)
        form.addRow(membership_buttons)
        form.addRow(section(_("Notes")))
        form.addRow(self.notes)
        self.delete_button = QPushButton(_("Remove from the directory…"))
        self.delete_button.clicked.connect(self._delete)
        footer = QHBoxLayout()
        footer.addWidget(hint(_("Changes are saved as you type.")), 1)
        footer.addWidget(self.delete_button)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addLayout(footer)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.title)
        outer.addWidget(scroll, 1)
        self.load(None)

    # -- record ----------------------------------------------------------------------

    def load(self, person_id: str | None) -> None:
        self.binder.flush()
        self.person_id = person_id
        record = people.get_person(self.db, person_id) if person_id else None
        self.binder.load(record)
        self.setEnabled(record is not None)
        self._show_header(record)
        self._show_memberships(record)

    def reload(self) -> None:
        if self.person_id:
            record = people.get_person(self.db, self.person_id)
            self._show_header(record)
            self._show_memberships(record)

    def _show_header(self, record: dict[str, Any] | None) -> None:
        if record is None:
            self.title.setText(_("No person selected"))
            return
        self.title.setText(formal_name(record["gender"], record["first_name"],
                                       record["last_name"])
                           if record["gender"] != "non_precise" else record["name"])

    def _show_memberships(self, record: dict[str, Any] | None) -> None:
        colleges = reference.vocabulary_labels(self.db, "college")
        roles = reference.vocabulary_labels(self.db, "member_role")
        self.memberships.clear()
        for m in (record or {}).get("memberships", []):
            parts = [m["council_name"], colleges.get(m["college"], m["college"]),
                     roles.get(m["role"], m["role"])]
            if m["joined_on"]:
                parts.append(_("since %(date)s") % {"date": short_date(m["joined_on"])})
            if m["left_on"]:
                parts.append(_("left on %(date)s") % {"date": short_date(m["left_on"])})
            item = QListWidgetItem(" — ".join(parts[:1]) + " · " + ", ".join(parts[1:]))
            item.setData(Qt.ItemDataRole.UserRole, m)
            if not m["active"]:
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
            self.memberships.addItem(item)
        if self.memberships.count():
            self.memberships.setCurrentRow(0)
        self._update_buttons()

    def _selected_membership(self) -> dict[str, Any] | None:
        item = self.memberships.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _update_buttons(self) -> None:
        selected = self._selected_membership()
        self.edit_membership_button.setEnabled(selected is not None)
        self.end_membership_button.setEnabled(selected is not None and selected["active"])

    def _save(self, changes: dict[str, Any]) -> dict[str, Any]:
        assert self.person_id is not None
        people.update_person(self.db, self.person_id, **changes)
        return people.get_person(self.db, self.person_id)

    def _after_save(self, record: dict[str, Any]) -> None:
        self._show_header(record)
        self.saved.emit(record)

    def _membership_changed(self) -> None:
        self.reload()
        self.saved.emit({"id": self.person_id, "memberships": True})

    def add_membership(self) -> None:
        if self.person_id is None:
            return
        if not councils.list_councils(self.db):
            from perr_desktop.ui.widgets import show_error

            show_error(self, _("There is no council yet: create one on the Councils page."))
            return
        dialog = MembershipDialog(self.db, self, person_id=self.person_id)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._membership_changed()

    def edit_membership(self) -> None:
        selected = self._selected_membership()
        if selected is None:
            return
        dialog = MembershipDialog(self.db, self, membership_id=selected["id"])
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._membership_changed()

    def end_membership(self) -> None:
        selected = self._selected_membership()
        if selected is None:
            return
        record = self.binder.record or {}
        if end_membership(self.db, self, {**selected, "name": record.get("name", "")}):
            self._membership_changed()

    def _delete(self) -> None:
        if self.person_id is None:
            return
        record = self.binder.record or {}
        question = _("Remove %(name)s from the directory, with their memberships? "
                     "Their past participation stays counted.") % {"name": record.get("name")}
        if confirm(self, question, _("Remove")):
            with reporting(self):
                people.delete_person(self.db, self.person_id)
                removed, self.person_id = self.person_id, None
                self.deleted.emit(removed)

    def _export_data(self) -> None:
        if self.person_id is not None:
            self.binder.flush()
            privacy_ui.export_person_data(self, self.db, self.person_id,
                                          (self.binder.record or {}).get("name", ""))

    def _erase(self) -> None:
        if self.person_id is None:
            return
        self.binder.flush()  # nothing typed may be saved back after the erasure
        if privacy_ui.erase_person(self, self.db, self.person_id):
            erased, self.person_id = self.person_id, None
            self.binder.load(None)
            self.deleted.emit(erased)

    def flush(self) -> bool:
        return self.binder.flush()


class PeoplePage(QWidget):
    saved = Signal(dict)
    openCouncil = Signal(str)
    directoryChanged = Signal()

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.title = _("People")

        self.search = accessible(QLineEdit(), _("Search people"),
                                 _("Part of a name or an organisation; accents and capitals "
                                   "do not matter (Ctrl+F)"))
        self.search.setPlaceholderText(_("Search by name or organisation (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.council_filter = accessible(QComboBox(), _("Council"))
        self.members_only = QCheckBox(_("Current &members only"))
        self.count = QLabel()
        set_role(self.count, "hint")
        self.new_button = QPushButton(_("&New person…"))
        self.new_button.setToolTip(_("New person (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_record)

        columns = [
            Column("last_name", _("Last name"), sort="name"),
            Column("first_name", _("First name"), sort="first_name"),
            Column("organisation", _("Organisation"), sort="organisation"),
            Column("councils", _("Councils")),
            Column("phone", _("Telephone")),
            Column("email", _("Email")),
            Column("consent", _("Consent"), consent_text),
        ]
        self.model = LazyTableModel(columns, self._load_ids,
                                    lambda ids: people.people_rows(db, ids), self)
        self.view = QTableView()
        configure_table(self.view, _("People"))
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        width = self.fontMetrics().averageCharWidth()
        for column, chars in enumerate((16, 14, 22, 22, 15, 26)):
            self.view.setColumnWidth(column, width * chars)
        # Rows are of one height: let the view skip measuring 20,000 of them.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

        self.form = PersonForm(db, self)
        self.form.saved.connect(self._person_saved)
        self.form.deleted.connect(self._person_deleted)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        # A search typed just before the database is closed (the window is replaced):
        # nothing left to look up.
        self._search_timer.timeout.connect(lambda: None if db.closed else self.refresh())
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._go_to_first)
        self.council_filter.activated.connect(lambda _i: self._filter_changed())
        self.members_only.toggled.connect(lambda _c: self.refresh())

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.council_filter, 2)
        filters.addWidget(self.members_only)
        top = QHBoxLayout()
        top.addWidget(heading(_("People")), 1)
        top.addWidget(self.new_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        # Contact details kept too long (RGPD): a banner when there are some to purge.
        self.retention = privacy_ui.RetentionBanner(db, self)
        self.retention.purged.connect(lambda _n: self.refresh())
        left_layout.addWidget(self.retention)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.count)
        left_layout.addWidget(self.view, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.form)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh_councils()
        self.refresh()

    # -- list ------------------------------------------------------------------------

    def _load_ids(self, sort: str | None, descending: bool) -> list[str]:
        council_id = self.council_filter.currentData()
        return people.search_people_ids(
            self.db, self.search.text(), council_id,
            members_only=self.members_only.isChecked() and council_id is not None,
            sort=sort or "name", descending=descending,
        )

    def refresh_councils(self) -> None:
        entries = [(_("All councils"), None)]
        entries += [(c["name"], c["id"]) for c in councils.list_councils(self.db)]
        fill_combo(self.council_filter, entries)
        self.members_only.setEnabled(self.council_filter.currentData() is not None)

    def _filter_changed(self) -> None:
        self.members_only.setEnabled(self.council_filter.currentData() is not None)
        self.refresh()

    def refresh(self) -> None:
        current = self.form.person_id
        self._search_timer.stop()
        with QSignalBlocker(self.view.selectionModel()):
            self.model.refresh()
        total = self.model.rowCount()
        self.count.setText(ngettext("%(count)s person", "%(count)s people", total)
                           % {"count": i18n.format_number(total)})
        row = self.model.row_of(current)
        if row >= 0:
            with QSignalBlocker(self.view.selectionModel()):
                self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def _go_to_first(self) -> None:
        self._search_timer.stop()
        self.refresh()
        if self.model.rowCount():
            self.view.selectRow(0)
            self.view.setFocus()

    def _selection_changed(self, *_args) -> None:
        rows = self.view.selectionModel().selectedRows()
        person_id = self.model.id_at(rows[0].row()) if rows else None
        if person_id is not None and person_id != self.form.person_id:
            self.form.load(person_id)

    # -- records ---------------------------------------------------------------------

    def _person_saved(self, record: dict[str, Any]) -> None:
        self.model.reload_rows([record["id"]])
        self.saved.emit(record)
        self.directoryChanged.emit()

    def _person_deleted(self, _person_id: str) -> None:
        self.form.load(None)
        self.refresh()
        self.retention.refresh()
        self.directoryChanged.emit()

    def open_person(self, person_id: str) -> None:
        if self.model.row_of(person_id) < 0:
            with QSignalBlocker(self.search):
                self.search.clear()
            set_all = self.council_filter.findData(None)
            self.council_filter.setCurrentIndex(set_all)
            self.members_only.setChecked(False)
        self.form.load(person_id)
        self.refresh()

    def reload_current(self) -> None:
        self.form.reload()
        if self.form.person_id:
            self.model.reload_rows([self.form.person_id])

    def new_record(self) -> None:
        dialog = NewPersonDialog(self.db, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.person_id:
            self.directoryChanged.emit()
            self.open_person(dialog.person_id)
            self.form.organisation.setFocus()

    def activate(self) -> None:
        """Shown again: people may have been added or changed from another page."""
        self.refresh()
        self.retention.refresh()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def flush(self) -> bool:
        return self.form.flush()
