"""Membership dialogs: add a member (someone known or a new person), edit, end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.domain.people import GENDER_LABELS, Gender, display_name, formal_name
from perr_desktop.errors import UserError, ValidationError
from perr_desktop.i18n import _
from perr_desktop.services import councils, people, reference
from perr_desktop.ui.models import Column, LazyTableModel
from perr_desktop.ui.widgets import (
    ErrorBanner,
    OptionalDateEdit,
    accessible,
    fill_combo,
    hint,
    long_date,
    set_combo_data,
)


def civility_combo(parent: QWidget | None = None) -> QComboBox:
    combo = accessible(QComboBox(parent), _("Civility"),
                       _("Used for letters and for the share of women among participants"))
    combo.addItem(_("Ms"), Gender.FEMME.value)
    combo.addItem(_("Mr"), Gender.HOMME.value)
    combo.addItem(_(GENDER_LABELS[Gender.NON_PRECISE]).capitalize(), Gender.NON_PRECISE.value)
    combo.setCurrentIndex(2)
    return combo


def consent_choices(contact: QCheckBox, photos: QCheckBox) -> QWidget:
    """The two scopes of consent, one under the other, in one form row."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(contact)
    layout.addWidget(photos)
    box.setAccessibleName(_("Consent covers"))
    return box


class PersonQuickForm(QWidget):
    """The essentials of a new person, with their consent."""

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.gender = civility_combo(self)
        self.first_name = accessible(QLineEdit(self), _("First name"))
        self.last_name = accessible(QLineEdit(self), _("Last name"))
        self.organisation = accessible(QLineEdit(self), _("Organisation"),
                                       _("For a local stakeholder: the association, business "
                                         "or service they represent"))
        self.email = accessible(QLineEdit(self), _("Email"))
        self.phone = accessible(QLineEdit(self), _("Telephone"))
        self.consent_date = OptionalDateEdit(self)
        self.consent_date.setAccessibleName(_("Date of consent"))
        self.consent_contact = QCheckBox(_("being contacted (email, telephone, post)"), self)
        self.consent_photos = QCheckBox(_("appearing in photos"), self)
        self.duplicate = hint("")
        self.duplicate.hide()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("&Civility"), self.gender)
        form.addRow(_("&First name"), self.first_name)
        form.addRow(_("&Last name"), self.last_name)
        form.addRow("", self.duplicate)
        form.addRow(_("&Organisation"), self.organisation)
        form.addRow(_("&Email"), self.email)
        form.addRow(_("&Telephone"), self.phone)
        form.addRow(_("Consent &given on"), self.consent_date)
        form.addRow(_("Agrees to"), consent_choices(self.consent_contact, self.consent_photos))
        for field in (self.first_name, self.last_name):
            field.textChanged.connect(self._check_duplicate)
        self.consent_contact.toggled.connect(self._default_consent_date)
        self.consent_photos.toggled.connect(self._default_consent_date)

    def _default_consent_date(self, checked: bool) -> None:
        if checked and self.consent_date.date() is None:
            self.consent_date.set_date(dt.date.today())

    def _check_duplicate(self) -> None:
        first, last = self.first_name.text().strip(), self.last_name.text().strip()
        matches = people.search_people_ids(self.db, f"{first} {last}") if first and last else []
        if matches:
            self.duplicate.setText(_("Someone with this name is already in the directory: "
                                     "check it is not the same person."))
        self.duplicate.setVisible(bool(matches))

    def values(self) -> dict[str, Any]:
        return {
            "gender": self.gender.currentData(), "first_name": self.first_name.text(),
            "last_name": self.last_name.text(), "organisation": self.organisation.text(),
            "email": self.email.text(), "phone": self.phone.text(),
            "consent_date": self.consent_date.iso(),
            "consent_contact": self.consent_contact.isChecked(),
            "consent_photos": self.consent_photos.isChecked(),
        }

    def create(self) -> str:
        return people.create_person(self.db, **self.values())


class NewPersonDialog(QDialog):
    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.person_id: str | None = None
        self.setWindowTitle(_("New person"))
        self.banner = ErrorBanner(self)
        self.form = PersonQuickForm(db, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        create = buttons.addButton(_("Add to the directory"),
                                   QDialogButtonBox.ButtonRole.AcceptRole)
        create.setDefault(True)
        buttons.accepted.connect(self._create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.form.first_name.setFocus()

    def _create(self) -> None:
        try:
            self.person_id = self.form.create()
        except UserError as exc:
            self.banner.show_message(exc.message)
            return
        self.accept()


class MembershipDialog(QDialog):
    """Add someone to a council, or edit one membership.

    From a council: choose a person already in the directory or create one.
    From a person: choose the council. Editing: college, role, dates, notes.
    """

    def __init__(self, db, parent: QWidget | None = None, *, council_id: str | None = None,
                 person_id: str | None = None, membership_id: str | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.council_id = council_id
        self.person_id = person_id
        self.membership_id = membership_id
        self.editing = membership_id is not None
        self._fixed_person_id = person_id  # adding a membership from a person's record
        current = (db.query_one("SELECT * FROM memberships WHERE id = ?", (membership_id,))
                   if self.editing else None)
        if current:
            self.council_id, self.person_id = current["council_id"], current["person_id"]

        self.banner = ErrorBanner(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)

        council_name = (councils.require_council(db, self.council_id)["name"]
                        if self.council_id else "")
        if self.editing:
            person = people.get_person(db, self.person_id)
            self.setWindowTitle(_("Membership of %(name)s") % {"name": person["name"]})
            layout.addWidget(QLabel(_("%(person)s, member of the council %(council)s") % {
                "person": formal_name(person["gender"], person["first_name"],
                                      person["last_name"]),
                "council": council_name}))
        elif self.council_id:
            self.setWindowTitle(_("Add a member to %(council)s") % {"council": council_name})
            layout.addWidget(self._build_person_chooser())
        else:
            person = people.get_person(db, self.person_id)
            self.setWindowTitle(_("Add %(name)s to a council") % {"name": person["name"]})

        # Widgets only some modes show are created without a parent, so that a hidden
        # one never floats over the dialog.
        self.council = accessible(QComboBox(), _("Council"))
        fill_combo(self.council, [(c["name"], c["id"]) for c in councils.list_councils(db)])
        self.college = accessible(QComboBox(self), _("College"))
        fill_combo(self.college, [(v["label"], v["code"])
                                  for v in reference.vocabulary(db, "college")])
        self.role = accessible(QComboBox(self), _("Role"))
        fill_combo(self.role, [(v["label"], v["code"])
                               for v in reference.vocabulary(db, "member_role")])
        self.joined_on = OptionalDateEdit(self)
        self.joined_on.setAccessibleName(_("Member since"))
        self.left_on = OptionalDateEdit()
        self.left_on.setAccessibleName(_("Date of leaving"))
        self.notes = accessible(QPlainTextEdit(self), _("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)

        box = QGroupBox(_("Membership"), self)
        form = QFormLayout(box)
        if not self.council_id:
            form.addRow(_("C&ouncil"), self.council)
        form.addRow(_("Co&llege"), self.college)
        form.addRow(_("&Role"), self.role)
        form.addRow(_("Member &since"), self.joined_on)
        if self.editing:
            form.addRow(_("Le&ft on"), self.left_on)
        form.addRow(_("&Notes"), self.notes)
        layout.addWidget(box)

        if current:
            set_combo_data(self.college, current["college"])
            set_combo_data(self.role, current["role"])
            self.joined_on.set_date(current["joined_on"])
            self.left_on.set_date(current["left_on"])
            self.notes.setPlainText(current["notes"])
        else:
            set_combo_data(self.role, "membre")
            self.joined_on.set_date(dt.date.today())

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.addButton(_("Save") if self.editing else _("Add"),
                               QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(self.sizeHint().width() + 120, self.sizeHint().height())

    # -- choosing the person ---------------------------------------------------------

    def _build_person_chooser(self) -> QWidget:
        box = QGroupBox(_("Person"), self)
        self.known = QRadioButton(_("Someone already in the &directory"), box)
        self.new = QRadioButton(_("A ne&w person"), box)
        group = QButtonGroup(box)
        group.addButton(self.known)
        group.addButton(self.new)
        self.search = accessible(QLineEdit(box), _("Search the directory"))
        self.search.setPlaceholderText(_("Type part of a name or an organisation"))
        self.search.setClearButtonEnabled(True)
        self.results_model = LazyTableModel(
            [Column("label", _("Person"))], self._result_ids, self._result_rows, self,
        )
        self.results = QListView(box)
        self.results.setAccessibleName(_("People found"))
        self.results.setModel(self.results_model)
        self.results.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        self.results.doubleClicked.connect(lambda _i: self._accept())
        self.person_form = PersonQuickForm(self.db, box)
        self.pages = QStackedWidget(box)
        known_page = QWidget()
        known_layout = QVBoxLayout(known_page)
        known_layout.setContentsMargins(0, 0, 0, 0)
        self.no_results = hint(_("No one found. Current members of this council are not "
                                 "listed; to add someone new, choose “A new person”."))
        self.no_results.hide()
        known_layout.addWidget(self.search)
        known_layout.addWidget(self.results)
        known_layout.addWidget(self.no_results)
        self.pages.addWidget(known_page)
        self.pages.addWidget(self.person_form)
        layout = QVBoxLayout(box)
        layout.addWidget(self.known)
        layout.addWidget(self.new)
        layout.addWidget(self.pages)
        self.known.toggled.connect(lambda on: self.pages.setCurrentIndex(0 if on else 1))
        self.known.setChecked(True)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(150)
        timer.timeout.connect(self._refresh_results)
        self.search.textChanged.connect(lambda _t: timer.start())
        self.search.returnPressed.connect(self._focus_results)
        self._refresh_results()
        self.search.setFocus()
        return box

    def _result_ids(self, _sort: str | None, _descending: bool) -> list[str]:
        """People matching the search who are not current members of this council."""
        members = {m["person_id"] for m in councils.council_members(self.db, self.council_id)
                   if m["active"]}
        found = people.search_people_ids(self.db, self.search.text())
        return [i for i in found if i not in members][:200]

    def _result_rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        rows = people.people_rows(self.db, ids)
        for row in rows.values():
            extra = ", ".join(p for p in (row["organisation"], row["councils"]) if p)
            row["label"] = f"{row['name']} — {extra}" if extra else row["name"]
        return rows

    def _refresh_results(self) -> None:
        self.results_model.refresh()
        # Preselect only what a search found: Enter on an empty search adds nobody.
        found = self.results_model.rowCount()
        if self.search.text().strip() and found:
            self.results.setCurrentIndex(self.results_model.index(0, 0))
        self.no_results.setVisible(found == 0)

    def _focus_results(self) -> None:
        if self.results_model.rowCount():
            self.results.setFocus()

    def _chosen_person(self) -> str | None:
        index: QModelIndex = self.results.currentIndex()
        return self.results_model.id_at(index.row()) if index.isValid() else None

    # -- saving ----------------------------------------------------------------------

    def _membership_values(self) -> dict[str, Any]:
        return {
            "college": self.college.currentData(), "role": self.role.currentData(),
            "joined_on": self.joined_on.iso(), "notes": self.notes.toPlainText(),
        }

    def _accept(self) -> None:
        try:
            if self.editing:
                people.update_membership(self.db, self.membership_id,
                                         **self._membership_values(),
                                         left_on=self.left_on.iso())
            else:
                self.membership_id = self._add()
        except UserError as exc:
            self.banner.show_message(exc.message)
            return
        self.accept()

    def _add(self) -> str:
        council_id = self.council_id or self.council.currentData()
        if not council_id:
            raise ValidationError(_("Choose a council."), "council_id")
        # One user action, one transaction: a new person and their membership together.
        with self.db.transaction():
            person_id = self._fixed_person_id
            if person_id is None:
                if self.known.isChecked():
                    person_id = self._chosen_person()
                    if person_id is None:
                        raise ValidationError(_("Choose a person in the list, or add a new "
                                                "person."), "person_id")
                else:
                    person_id = self.person_form.create()
            membership_id = people.add_membership(self.db, council_id, person_id,
                                                  **self._membership_values())
        # Only once it is all saved: a refused attempt must not pin the person.
        self.person_id = person_id
        return membership_id


def end_membership(db, parent: QWidget, membership: dict[str, Any]) -> bool:
    """Ask for the date someone left the council and record it."""
    dialog = QDialog(parent)
    name = membership.get("name") or display_name(membership.get("first_name", ""),
                                                  membership.get("last_name", ""))
    dialog.setWindowTitle(_("End of membership"))
    banner = ErrorBanner(dialog)
    date = OptionalDateEdit(dialog)
    date.setAccessibleName(_("Date of leaving"))
    date.set_date(dt.date.today())
    text = _("%(name)s leaves the council. The membership is kept in the council's history.")
    if membership.get("joined_on"):
        text += " " + _("Member since %(date)s.") % {"date": long_date(membership["joined_on"])}
    form = QFormLayout()
    form.addRow(_("Left &on"), date)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, dialog)
    ok = buttons.addButton(_("Record the departure"), QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    layout = QVBoxLayout(dialog)
    layout.addWidget(banner)
    label = QLabel(text % {"name": name})
    label.setWordWrap(True)
    layout.addWidget(label)
    layout.addLayout(form)
    layout.addWidget(buttons)

    def accept() -> None:
        if date.iso() is None:
            banner.show_message(_("Give the date of leaving."))
            return
        try:
            people.update_membership(db, membership["id"], left_on=date.iso())
        except UserError as exc:
            banner.show_message(exc.message)
            return
        dialog.accept()

    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    return dialog.exec() == QDialog.DialogCode.Accepted


__all__ = [
    "MembershipDialog",
    "NewPersonDialog",
    "PersonQuickForm",
    "civility_combo",
    "end_membership",
]
