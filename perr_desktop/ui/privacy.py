"""Residents' privacy in the GUI: export one person's data, erase a person, and the
reminder to purge the contact details of people inactive for years (RGPD).

The work itself is in ``services/privacy.py``; these dialogs say, in plain words, what
will happen before it does.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.domain.text import search_key
from perr_desktop.errors import UserError
from perr_desktop.i18n import _, ngettext
from perr_desktop.services import privacy
from perr_desktop.settings import Settings
from perr_desktop.ui.style import set_role
from perr_desktop.ui.widgets import heading, hint, reporting, short_date, show_error
from perr_desktop.ui.worker import BackgroundReader

# -- right of access ----------------------------------------------------------------------


def _suggested_export_path(name: str) -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    slug = "-".join(search_key(name).replace("'", " ").split()) or "personne"
    filename = _("data-%(name)s-%(date)s.json") % {"name": slug,
                                                    "date": dt.date.today().isoformat()}
    return Path(folder or Path.home()) / filename


def export_person_data(parent: QWidget | None, db, person_id: str, name: str) -> Path | None:
    """Ask where, then write everything about the person as JSON (right of access)."""
    target, _filter = QFileDialog.getSaveFileName(
        parent, _("Export the data of %(name)s") % {"name": name},
        str(_suggested_export_path(name)), _("JSON file (*.json)"))
    if not target:
        return None
    path = Path(target)
    if not path.suffix:
        path = path.with_suffix(".json")
    with reporting(parent):
        privacy.write_person_export(db, person_id, path)
        QMessageBox.information(
            parent, _("PERR Desktop"),
            _("The data of %(name)s was written to %(path)s. Give this file to the person "
              "by hand or by a secure channel: it holds their contact details.")
            % {"name": name, "path": path})
        return path
    return None


# -- right to erasure ---------------------------------------------------------------------

def _bullets(lines: list[str]) -> str:
    return "<ul style='margin-left: -1em'>" + "".join(
        f"<li style='margin-bottom: 0.3em'>{line}</li>" for line in lines) + "</ul>"


class EraseDialog(QDialog):
    """Says exactly what erasing a person does; the person is erased only once the
    facilitator has ticked the confirmation (friendlier than typing a name with accents
    and hyphens, and as deliberate)."""

    def __init__(self, db, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.person_id = person_id
        self.preview = preview = privacy.erasure_preview(db, person_id)
        name = preview["name"]
        self.setWindowTitle(_("Erase a person"))

        title = heading(_("Erase %(name)s for good?") % {"name": name}, level=2)
        title.setTextFormat(Qt.TextFormat.PlainText)
        intro = hint(_("When a person asks for their data to be erased (right to erasure). "
                       "This cannot be undone."))

        what = [_("Their <b>identity and contact details are erased</b>: names, civility, "
                  "year of birth, organisation, email, telephone, address, notes and "
                  "consent. They leave the directory.")]
        if preview["present"]:
            what.append(ngettext(
                "<b>Their participation stays counted, without their name</b>: the %(count)d "
                "meeting where they were present counts one anonymous participant instead.",
                "<b>Their participation stays counted, without their name</b>: the "
                "%(count)d meetings where they were present each count one anonymous "
                "participant instead.", preview["present"]) % {"count": preview["present"]})
        if preview["walks"]:
            what.append(ngettext(
                "The %(count)d walk they took part in counts one participant without a name.",
                "The %(count)d walks they took part in each count one participant without "
                "a name.", preview["walks"]) % {"count": preview["walks"]})
        if preview["other_attendance"]:
            what.append(ngettext(
                "Their invitation or apology (excused, absent, represented) leaves the "
                "attendance list of %(count)d meeting.",
                "Their invitations and apologies (excused, absent, represented) leave the "
                "attendance lists of %(count)d meetings.", preview["other_attendance"])
                % {"count": preview["other_attendance"]})
        if preview["memberships"]:
            what.append(ngettext("Their %(count)d membership of a council is removed.",
                                 "Their %(count)d memberships of councils are removed.",
                                 preview["memberships"]) % {"count": preview["memberships"]})
        if preview["actions"]:
            what.append(ngettext(
                "The %(count)d action given to them stays, with no one in charge.",
                "The %(count)d actions given to them stay, with no one in charge.",
                preview["actions"]) % {"count": preview["actions"]})
        mentions = preview["mentions"]
        if mentions:
            count = sum(m.count for m in mentions)
            what.append(ngettext(
                "The %(count)d mention of their name (or email, telephone) in the minutes, notes "
                "or observations is replaced by « [personne effacée] »:",
                "The %(count)d mentions of their name (or email, telephone) in the minutes, "
                "notes or observations are replaced by « [personne effacée] »:", count)
                % {"count": count})
        else:
            what.append(_("No mention of their name was found in the minutes, notes or "
                          "observations. Only the full name, « Mme/M. » with the surname, "
                          "the email and the telephone can be found: check texts where they "
                          "appear otherwise."))
        summary = QLabel(_bullets(what))
        summary.setWordWrap(True)
        summary.setTextFormat(Qt.TextFormat.RichText)

        self.mentions = QListWidget()
        self.mentions.setAccessibleName(_("Mentions that will be replaced"))
        for mention in mentions:
            item = QListWidgetItem(_("%(where)s: %(excerpt)s") % {
                "where": mention.where, "excerpt": mention.excerpt})
            item.setToolTip(mention.excerpt)
            self.mentions.addItem(item)
        self.mentions.setVisible(bool(mentions))
        self.mentions.setWordWrap(True)
        self.mentions.setAlternatingRowColors(True)
        self.mentions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lines = min(max(len(mentions), 1), 4)
        self.mentions.setMaximumHeight(self.fontMetrics().lineSpacing() * (2 * lines + 1))

        backups = privacy.backups_holding_data(db)
        warnings = []
        if preview["namesakes"]:
            warnings.append(_("Another person of the directory has the same name: their "
                              "own record is kept, but mentions of this name in texts cannot "
                              "be told apart and are replaced too."))
        warnings.append(_("Photos where they appear cannot be recognised automatically: look "
                          "at the photos of their walks and remove those that show them."))
        if backups:
            warnings.append(html.escape(privacy.backups_warning(db, len(backups))))
        else:
            warnings.append(_("Copies made outside PERR Desktop (exports, PDF, backup copies "
                              "on a USB key) still contain their data."))
        warnings.append(_("If they asked for a copy of their data, export it first."))
        notes = QLabel(_bullets(warnings))
        notes.setWordWrap(True)
        notes.setTextFormat(Qt.TextFormat.RichText)
        set_role(notes, "hint")

        self.export_button = QPushButton(_("&Export their data first…"))
        self.export_button.clicked.connect(self._export)
        self.confirm = QCheckBox(_("I confirm that %(name)s is to be erased for good")
                                 % {"name": name})
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.erase_button = self.buttons.addButton(_("E&rase for good"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.erase_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.confirm.toggled.connect(self.erase_button.setEnabled)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.report: privacy.ErasureReport | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(summary)
        layout.addWidget(self.mentions)
        layout.addWidget(notes)
        export_row = QHBoxLayout()
        export_row.addWidget(self.export_button)
        export_row.addStretch(1)
        layout.addLayout(export_row)
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)
        width = self.fontMetrics().averageCharWidth() * 115
        self.resize(width, layout.totalHeightForWidth(width))

    def _export(self) -> None:
        export_person_data(self, self.db, self.person_id, self.preview["name"])

    def accept(self) -> None:
        if not self.confirm.isChecked():
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.report = privacy.erase_person(self.db, self.person_id)
        except UserError as exc:
            QGuiApplication.restoreOverrideCursor()
            show_error(self, exc)
            return
        QGuiApplication.restoreOverrideCursor()
        super().accept()


def erase_person(parent: QWidget | None, db, person_id: str) -> bool:
    """Explain, confirm, erase; True when the person was erased."""
    dialog = EraseDialog(db, person_id, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.report is None:
        return False
    report = dialog.report
    message = privacy.erasure_summary(report, person_id)
    backups = privacy.backups_holding_data(db)
    if backups:
        message += "\n\n" + privacy.backups_warning(db, len(backups))
    if not report.file_clean:
        message += "\n\n" + report.problem
    QMessageBox.information(parent, _("PERR Desktop"), message)
    return True


# -- retention ----------------------------------------------------------------------------

def _years(years: int) -> str:
    return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}


def _contact_kinds(row: dict[str, Any]) -> str:
    kinds = [label for key, label in (("email", _("email")), ("phone", _("telephone")),
                                      ("address", _("address"))) if row[key]]
    return ", ".join(kinds)


class RetentionDialog(QDialog):
    """The people whose contact details have been kept long enough, all ticked; the
    facilitator unticks those to keep, then confirms."""

    def __init__(self, db, candidates: list[dict[str, Any]], years: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.purged = 0
        self.setWindowTitle(_("Contact details kept too long"))
        title = heading(_("Erase old contact details"), level=2)
        explanation = hint(_(
            "These people have had no current membership and have taken part in nothing for "
            "more than %(years)s. Their email, telephone and address are erased; their name, "
            "their consent and their past participation stay. Untick those whose details "
            "you want to keep.") % {"years": _years(years)})
        self.list = QListWidget()
        self.list.setAccessibleName(_("People whose contact details will be erased"))
        for row in candidates:
            parts = [row["name"]]
            if row["organisation"]:
                parts[0] += f" ({row['organisation']})"
            parts.append(_("last seen %(date)s") % {"date": short_date(row["last_activity"])})
            parts.append(_contact_kinds(row))
            if row["removed"]:
                parts.append(_("removed from the directory"))
            item = QListWidgetItem(" — ".join(parts))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            self.list.addItem(item)
        self.list.itemChanged.connect(lambda _item: self._update())
        self.count = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.erase_button = self.buttons.addButton(_("E&rase their contact details"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(explanation)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 120,
                    self.fontMetrics().lineSpacing() * 24)
        self._update()

    def checked_ids(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def _update(self) -> None:
        chosen = len(self.checked_ids())
        self.count.setText(ngettext("%(count)d person ticked", "%(count)d people ticked",
                                    chosen) % {"count": chosen})
        self.erase_button.setEnabled(chosen > 0)

    def accept(self) -> None:
        with reporting(self):
            self.purged = privacy.purge_contacts(self.db, self.checked_ids())
            super().accept()


class RetentionBanner(QWidget):
    """« 4 personnes inactives depuis plus de 3 ans ont encore des coordonnées : les
    effacer ? », above the directory; hidden when there is nobody to propose."""

    purged = Signal(int)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.candidates: list[dict[str, Any]] = []
        self.years = privacy.DEFAULT_RETENTION_YEARS
        self.label = QLabel()
        set_role(self.label, "banner")
        self.label.setWordWrap(True)
        self.button = QPushButton(_("Re&view…"))
        self.button.clicked.connect(self.review)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.hide()  # until the question is answered
        # The question reads ten years of attendance: off the GUI thread.
        self.reader = BackgroundReader(db.path, self)
        self.reader.answered.connect(self._answered)
        self.refresh()

    def refresh(self, today: dt.date | None = None) -> None:
        """Ask the question again, in the background, when something may have changed:
        the People page asks each time it is shown."""
        if self.db.closed:
            return
        self.years = Settings.load().retention_years
        today = today or dt.date.today()
        state = (self.db.change_mark(), self.years, today)
        if state == getattr(self, "_state", None):
            return
        self._state = state
        years = self.years
        self.reader.read(lambda db: (years, privacy.purge_candidates(db, years, today)))

    def _answered(self, answer: tuple[int, list[dict[str, Any]]]) -> None:
        if self.db.closed:   # the window is closing
            return
        years, self.candidates = answer
        count = len(self.candidates)
        self.label.setText(ngettext(
            "%(count)d person inactive for more than %(years)s still has contact details: "
            "erase them?",
            "%(count)d people inactive for more than %(years)s still have contact details: "
            "erase them?", count) % {"count": count, "years": _years(years)})
        self.button.setAccessibleDescription(self.label.text())
        self.setVisible(count > 0)

    def review(self) -> None:
        dialog = RetentionDialog(self.db, self.candidates, self.years, self.window())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.purged.emit(dialog.purged)
