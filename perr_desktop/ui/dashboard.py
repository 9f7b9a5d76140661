"""The « Tableau de bord »: the figures of docs/indicators.md for the chosen councils,
period and part of the PERR, as key figures and charts (each with the numbers behind it),
the « Vue PERR », exports for partners and the annual report.

Every figure comes from ``services/indicators.compute`` (the same function as the annual
report and ``stats --json``); this page only chooses the filters and shows the result,
codes turned into their vocabulary labels. A filter change recomputes at once (the
target is under 100 ms on ten years of five councils: benchmarks/bench_indicators.py
``--gui``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.domain.meetings import ACTION_STATUS_LABELS, AGE_BAND_LABELS, AgeBand
from perr_desktop.domain.people import GENDER_LABELS, Gender
from perr_desktop.errors import UserError
from perr_desktop.i18n import LANGUAGE_NAMES, N_, _, ngettext, pgettext
from perr_desktop.services import councils, indicators, reference
from perr_desktop.services.indicators import Filters
from perr_desktop.ui import style
from perr_desktop.ui.charts import (
    STRONG,
    WEAK,
    BarChart,
    ChartCard,
    ChartData,
    LineChart,
    Series,
    bar_data,
    format_value,
    safe_file_name,
)
from perr_desktop.ui.perr_view import PerrView
from perr_desktop.ui.style import set_role
from perr_desktop.ui.widgets import (
    ErrorBanner,
    FormDialog,
    accessible,
    fill_combo,
    heading,
    hint,
    qt_date_format,
    section,
    set_combo_data,
    show_error,
)
from perr_desktop.ui.worker import BackgroundReader

YEAR, QUARTER, DATES = "year", "quarter", "dates"
PERIOD_KINDS = ((N_("Year"), YEAR), (N_("Quarter"), QUARTER), (N_("Chosen dates"), DATES))
QUARTERS = (N_("January to March"), N_("April to June"), N_("July to September"),
            N_("October to December"))


def _today() -> dt.date:
    """The day the figures are computed on (what has taken place); tests fix it."""
    return dt.date.today()


def percent(value: float | None) -> str:
    """A share as « 58 % », a dash when it cannot be computed (never « 0 % »)."""
    return "—" if value is None else i18n.format_percent(value)


def first_upper(text: str) -> str:
    """« tous les conseils » → « Tous les conseils », names left as they are (unlike
    ``str.capitalize``, which would write « Basseau grande-garenne »)."""
    return text[:1].upper() + text[1:]


def number(value: float | None) -> str:
    """A count or an average as the interface's language writes it, « — » for None."""
    return format_value(value)


def days(value: float | None) -> str:
    if value is None:
        return "—"
    return ngettext("%(count)s day", "%(count)s days", int(value) if float(value).is_integer()
                    else 2) % {"count": number(value)}


# -- filters -----------------------------------------------------------------------------

class _StayOpenMenu(QMenu):
    """A menu of check boxes that stays open while they are ticked (mouse or Space)."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self.activeAction()
        if (event.key() == Qt.Key.Key_Space and action is not None
                and action.isCheckable()):
            action.trigger()
            return
        super().keyPressEvent(event)


class CouncilPicker(QToolButton):
    """« Tous les conseils », or one or several councils ticked in a menu."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Councils"))
        self.setToolTip(_("The councils whose figures are shown: all of them, or tick one "
                          "or several"))
        self.menu_ = _StayOpenMenu(self)
        self.setMenu(self.menu_)
        self.all_action = self.menu_.addAction(_("All councils"))
        self.all_action.setCheckable(True)
        self.all_action.setChecked(True)
        self.all_action.triggered.connect(self._all_chosen)
        self.menu_.addSeparator()
        self.council_actions: dict[str, Any] = {}
        self.names: dict[str, str] = {}
        self._update_text()

    def set_councils(self, choices: list[tuple[str, str]]) -> None:
        """``(id, name)`` of every council; the ticked ones that remain stay ticked."""
        kept = self.selected()
        for action in self.council_actions.values():
            self.menu_.removeAction(action)
            action.deleteLater()
        self.council_actions = {}
        self.names = dict(choices)
        for council_id, name in choices:
            action = self.menu_.addAction(name)
            action.setCheckable(True)
            action.triggered.connect(self._council_chosen)
            self.council_actions[council_id] = action
        self.set_selected(None if kept is None else [c for c in kept if c in self.names],
                          notify=False)

    def selected(self) -> tuple[str, ...] | None:
        """The ticked councils' ids, or None for every council."""
        if self.all_action.isChecked():
            return None
        return tuple(cid for cid, action in self.council_actions.items() if action.isChecked())

    def set_selected(self, ids: Iterable[str] | None, notify: bool = True) -> None:
        wanted = set(ids or ())
        for council_id, action in self.council_actions.items():
            action.setChecked(council_id in wanted)
        self.all_action.setChecked(not any(a.isChecked() for a in self.council_actions.values()))
        self._update_text()
        if notify:
            self.changed.emit()

    def _all_chosen(self) -> None:
        self.set_selected(None)

    def _council_chosen(self) -> None:
        self.set_selected([cid for cid, action in self.council_actions.items()
                           if action.isChecked()])

    def _update_text(self) -> None:
        chosen = self.selected()
        if chosen is None:
            text = _("All councils")
        elif len(chosen) == 1:
            text = self.names.get(chosen[0], "")
        else:
            text = ngettext("%(count)d council", "%(count)d councils", len(chosen)) % {
                "count": len(chosen)}
        self.setText(text)
        self.setAccessibleDescription(self.summary())

    def summary(self) -> str:
        chosen = self.selected()
        if chosen is None:
            return _("all councils")
        return ", ".join(self.names.get(c, "") for c in chosen)


# -- key figures and the grid ------------------------------------------------------------

class KeyFigure(QFrame):
    """A tile: a big number, what it counts, one line of detail; the definition as
    tooltip."""

    def __init__(self, title: str, explanation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setStyleSheet(style.CARD)
        self.title_text = title
        self.value = QLabel("—")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setStyleSheet("color: #1f3a5f;")
        self.title = QLabel(title)
        self.title.setWordWrap(True)
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        set_role(self.detail, "hint")
        self.setToolTip(explanation)
        self.setAccessibleDescription(explanation)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(2)
        layout.addWidget(self.value)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.setAccessibleName(f"{self.title_text}: {value}")

    def value_text(self) -> str:
        return self.value.text()


class ResponsiveGrid(QWidget):
    """Widgets in as many columns as the width allows (at most ``max_columns``)."""

    def __init__(self, item_chars: int, max_columns: int, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.item_chars = item_chars
        self.max_columns = max_columns
        self.items: list[QWidget] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(10)
        self.columns = 0
        self.placed: list[QWidget] = []

    def add(self, widget: QWidget) -> QWidget:
        self.items.append(widget)
        if self.columns and self.placed == self.items[:-1]:
            # At the end of what is placed: no need to place the others again (fourteen
            # charts added one by one would be placed 105 times).
            n = len(self.placed)
            self.grid.addWidget(widget, n // self.columns, n % self.columns)
            self.placed = [*self.placed, widget]
        else:
            self.relayout(force=True)
        return widget

    def relayout(self, force: bool = False) -> None:
        width = self.width() if self.width() > 100 else 1000
        item = self.fontMetrics().averageCharWidth() * self.item_chars
        columns = max(1, min(self.max_columns, width // max(item, 1)))
        shown = [w for w in self.items if not self.hidden_by_choice(w)]
        if not force and columns == self.columns and shown == self.placed:
            return
        for widget in self.items:
            self.grid.removeWidget(widget)
        for n, widget in enumerate(shown):
            self.grid.addWidget(widget, n // columns, n % columns)
        for column in range(self.max_columns):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self.columns, self.placed = columns, shown

    @staticmethod
    def hidden_by_choice(widget: QWidget) -> bool:
        """Hidden with ``hide()`` (not merely waiting for its window to be shown)."""
        return (widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
                and widget.testAttribute(Qt.WidgetAttribute.WA_WState_Hidden))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.relayout()


# Definitions shown as tooltips (docs/indicators.md, in short).
EXPLAIN = {
    "held": N_("Meetings that took place in the period: not cancelled, not planned for "
               "later. A meeting counts for its host council and for each guest council."),
    "participants": N_("Named people present plus people only counted, meeting by "
                       "meeting: someone who came to 9 meetings counts 9 times. A member "
                       "represented by proxy or excused is not a participant."),
    "distinct": N_("Each named person once, however many meetings they came to, plus every "
                   "person only counted (they cannot be recognised from one meeting to "
                   "the next)."),
    "women": N_("Participations of women ÷ participations whose gender is known "
                "(« not specified » is left out). A dash when it cannot be computed."),
    "young": N_("Participations of people aged 25 or less in the year of the meeting ÷ "
                "participations whose age is known (head counts: « under 16 » and « 16 to "
                "25 »)."),
    "residents": N_("Residents ÷ (residents + partners). A member counts by college on the "
                    "day of the meeting, anyone else by « lives in the neighbourhood »; "
                    "the unknown are left out."),
    "newcomers": N_("Among the distinct participants, a named person is new when their "
                    "very first recorded presence falls in the period; a counted person "
                    "when the head count says « first time »."),
    "attendance": N_("(present + represented) ÷ (present + represented + excused + absent), "
                     "for the members of the chosen councils. A presence not recorded "
                     "does not count."),
    "actions": N_("Actions decided at a meeting of the period; closed: done or dropped in "
                  "the period, whenever they were decided."),
    "open_actions": N_("Actions decided by the last day of the period (or today) and not "
                       "closed that day, with the median of their age in days."),
    "observations": N_("Observations of the walking diagnostics held in the period: strong "
                       "points and weak points."),
    "resolved": N_("Observations with at least one follow-up resolved and none still "
                   "open; waiting: those with a follow-up still open."),
    "walks": N_("Walking diagnostics held in the period, with their named and counted "
                "participants."),
    "perr": N_("Objectives and sub-objectives of the PERR with at least one meeting, "
               "agenda item or observation in the period (see the PERR view)."),
    "per_month": N_("Meetings held each month of the period: 0 for a month without a "
                    "meeting, no point for a month not begun yet."),
    "by_kind": N_("Meetings held in the period, by kind."),
    "participants_month": N_("Participants (named present + counted) of the meetings of "
                             "each month."),
    "average_kind": N_("Average number of participants per meeting, for each kind of "
                       "meeting."),
    "gender": N_("Participations by gender: named people by their record, counted people "
                 "by the head count."),
    "ages": N_("Participations by age in the year of the meeting."),
    "residence": N_("Participations of residents and of partners (see the key figure)."),
    "new_returning": N_("Distinct participants: new in the period, already come before, "
                        "or not known."),
    "member_status": N_("The attendance of the members called, as recorded."),
    "by_council": N_("The members' attendance rate of each council, at the meetings it "
                     "hosted or was invited to."),
    "action_status": N_("The actions decided in the period, by their current status."),
    "themes": N_("Observations by theme: strong points and weak points."),
    "followups": N_("Follow-ups (one per observation and body) by their current status."),
    "delays": N_("Median number of days between the first « sent » step and the "
                 "resolution, for the follow-ups resolved in the period."),
}


# -- exports and the annual report -------------------------------------------------------

EXPORTS = (
    ("meetings", N_("Meetings (CSV table)"),
     N_("One line per meeting, cancelled ones included and marked, with its number of "
        "participants.")),
    ("attendance", N_("Attendance (CSV table)"),
     N_("One line per person on a meeting's list. No address, email or telephone; "
        "anonymised, each name becomes « Participant 17 ».")),
    ("observations", N_("Observations (CSV table)"),
     N_("One line per observation of the walks, with its position when it has one.")),
    ("followups", N_("Follow-ups (CSV table)"),
     N_("One line per observation and body: status, last step, next reminder.")),
    ("geojson", N_("Observations on a map (GeoJSON, for QGIS or uMap)"),
     N_("The observations that have a position, every year, with their theme and the "
        "status of their follow-ups.")),
)


class ExportDialog(FormDialog):
    """« Exporter… »: which table, for which council and year, anonymised or not."""

    def __init__(self, db, council_id: str | None, year: int | None, years: list[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Export data"), _("Export…"), parent)
        self.db = db
        self.choice: dict[str, Any] | None = None
        self.what = accessible(QComboBox(), _("What to export"))
        fill_combo(self.what, [(_(label), code) for code, label, _help in EXPORTS])
        self.council = accessible(QComboBox(), _("Council"))
        fill_combo(self.council, [(_("All councils"), None)] + [
            (c["name"], c["id"]) for c in councils.list_councils(db)])
        set_combo_data(self.council, council_id)
        if self.council.currentIndex() < 0:
            self.council.setCurrentIndex(0)
        self.year = accessible(QComboBox(), _("Year"))
        fill_combo(self.year, [(_("All years"), None)] + [(str(y), y) for y in years])
        set_combo_data(self.year, year)
        if self.year.currentIndex() < 0:
            self.year.setCurrentIndex(0)
        self.anonymize = QCheckBox(_("&Anonymise the names (« Participant 17 »)"))
        self.anonymize.setChecked(True)
        self.anonymize.setToolTip(_("For partners: nobody's name leaves this computer "
                                    "unless you untick this"))
        self.help = hint("")
        self.form.addRow(_("&Data"), self.what)
        self.form.addRow(_("&Council"), self.council)
        self.form.addRow(_("&Year"), self.year)
        self.form.addRow("", self.anonymize)
        self.body.addWidget(self.help)
        self.finish_layout()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self._year = self.year.currentIndex()
        self.what.currentIndexChanged.connect(self._update)
        self._update()
        self.what.setFocus()

    def _update(self, *_args) -> None:
        code = self.what.currentData()
        # Only the attendance table holds names; the map takes every year.
        self.anonymize.setVisible(code == "attendance")
        if code == "geojson" and self.year.isEnabled():
            self._year = self.year.currentIndex()
            self.year.setCurrentIndex(0)
        elif code != "geojson" and not self.year.isEnabled():
            self.year.setCurrentIndex(self._year)
        self.year.setEnabled(code != "geojson")
        self.help.setText(_(next(h for c, _l, h in EXPORTS if c == code)))

    def save(self) -> None:
        code = self.what.currentData()
        self.choice = {"what": code, "council_id": self.council.currentData(),
                       "year": None if code == "geojson" else self.year.currentData(),
                       "anonymize": code == "attendance" and self.anonymize.isChecked(),
                       "council_name": self.council.currentText()}


class AnnualReportDialog(FormDialog):
    """« Bilan annuel »: the year and the language; the councils are the dashboard's."""

    def __init__(self, year: int, years: list[int], councils_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Annual report"), _("Prepare the report"), parent)
        self.year = accessible(QComboBox(), _("Year"))
        fill_combo(self.year, [(str(y), y) for y in sorted(set(years) | {year},
                                                           reverse=True)])
        set_combo_data(self.year, year)
        self.language = accessible(QComboBox(), _("Language of the report"))
        fill_combo(self.language, [(name, code) for code, name in LANGUAGE_NAMES.items()])
        set_combo_data(self.language, i18n.get_language())
        councils_label = QLabel(councils_text)
        councils_label.setWordWrap(True)
        self.form.addRow(_("Councils"), councils_label)
        self.form.addRow(_("&Year"), self.year)
        self.form.addRow(_("&Language"), self.language)
        self.body.addWidget(hint(_("The report for the comité de pilotage of the contrat de "
                                   "ville: the year's figures, charts and the PERR "
                                   "objectives worked on. The councils are those chosen "
                                   "on the dashboard.")))
        self.finish_layout()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)

    def save(self) -> None:
        pass


# -- the page ------------------------------------------------------------------------------

class DashboardPage(QWidget):
    """« Tableau de bord »: filters, then the figures and the Vue PERR in two tabs."""

    openMeeting = Signal(str)
    openObservation = Signal(str, str)   # walk id, observation id

    def __init__(self, db, settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.title = _("Dashboard")
        self.figures: dict[str, Any] | None = None
        self.last_refresh_ms = 0.0       # the last change shown, for the benchmark
        self.last_export: Path | None = None
        self._filters: Filters | None = None
        self.years: list[int] = []
        # The figures are computed off the GUI thread (refresh): what they were computed
        # for (filters, day, the data's change mark), for those shown and those coming.
        self._shown: tuple | None = None
        self._reading: tuple | None = None
        self._refresh_started = 0.0
        self.reader = BackgroundReader(db.path, self)
        self.reader.answered.connect(self._answered)
        self.reader.refused.connect(self._refused)
        self.perr_reader = BackgroundReader(db.path, self)   # the Vue PERR's tree
        self.perr_reader.refused.connect(self._refused)

        # -- filter bar
        self.councils = CouncilPicker()
        self.period_kind = accessible(QComboBox(), _("Period"))
        fill_combo(self.period_kind, [(_(label), code) for label, code in PERIOD_KINDS])
        self.year = accessible(QComboBox(), _("Year"))
        self.quarter = accessible(QComboBox(), _("Quarter"))
        fill_combo(self.quarter, [(_("Q%(number)d — %(months)s") % {
            "number": n, "months": _(months)}, n) for n, months in enumerate(QUARTERS, 1)])
        self.start = self._date_edit(_("First day"))
        self.end = self._date_edit(_("Last day"))
        self.dates_label = QLabel(_("to"))
        self.objective = accessible(QComboBox(), _("Part of the PERR"),
                                    _("Only the meetings, agenda items and observations "
                                      "linked to this part of the PERR"))
        self.objective.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.objective.setMinimumContentsLength(18)
        self.objective.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.export_button = QPushButton(_("E&xport…"))
        self.export_button.setToolTip(_("Tables for a spreadsheet (CSV) or a map (GeoJSON)"))
        self.report_button = QPushButton(_("Annual &report (PDF)…"))
        self.report_button.setToolTip(_("The annual report for the comité de pilotage, for "
                                        "the chosen councils"))
        set_role(self.report_button, "primary")
        self.banner = ErrorBanner(self)
        self.summary = hint("")

        # -- figures tab
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        set_role(self.empty, "banner")
        self.tiles: dict[str, KeyFigure] = {}
        self.tile_grid = ResponsiveGrid(item_chars=28, max_columns=5)
        for key, title in (
                ("held", _("Meetings held")), ("participants", _("Participants")),
                ("distinct", _("Distinct participants")), ("women", _("Women")),
                ("young", _("Under 25")), ("residents", _("Residents")),
                ("newcomers", _("Newcomers")), ("attendance", _("Member attendance")),
                ("actions", _("Actions decided")), ("open_actions", _("Actions still open")),
                ("walks", _("Walking diagnostics")), ("observations", _("Observations")),
                ("resolved", _("Observations resolved")),
                ("perr", _("PERR objectives worked on"))):
            self.tiles[key] = self.tile_grid.add(KeyFigure(title, _(EXPLAIN[key])))

        self.cards: dict[str, ChartCard] = {}
        self.sections: list[tuple[QLabel, ResponsiveGrid]] = []
        body = QWidget()
        self.figures_layout = QVBoxLayout(body)
        self.figures_layout.setContentsMargins(0, 6, 8, 8)
        self.figures_layout.addWidget(self.empty)
        self.figures_layout.addWidget(self.tile_grid)
        self.figures_layout.addStretch(1)   # the charts come before it (_build_charts)
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.perr = PerrView(db, lambda: self._filters, lambda: _today(), self)
        self.perr.openMeeting.connect(self.openMeeting)
        self.perr.openObservation.connect(self.openObservation)
        self.perr_reader.answered.connect(self._perr_answered)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.scroll, _("F&igures"))
        self.tabs.addTab(self.perr, _("&PERR view"))
        self.tabs.currentChanged.connect(lambda _i: self._refresh_perr_if_shown())

        # -- layout
        top = QHBoxLayout()
        top.addWidget(heading(_("Dashboard")), 1)
        top.addWidget(self.export_button)
        top.addWidget(self.report_button)
        bar = QHBoxLayout()
        bar.addWidget(self._label(_("Co&uncils"), self.councils))
        bar.addWidget(self.councils)
        bar.addSpacing(8)
        bar.addWidget(self._label(_("Peri&od"), self.period_kind))
        for widget in (self.period_kind, self.year, self.quarter, self.start,
                       self.dates_label, self.end):
            bar.addWidget(widget)
        bar.addSpacing(8)
        bar.addWidget(self._label(_("P&ERR"), self.objective))
        bar.addWidget(self.objective, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

        # -- signals
        self.councils.changed.connect(self.refresh)
        self.period_kind.activated.connect(lambda _i: self._period_kind_changed())
        for combo in (self.year, self.quarter, self.objective):
            combo.activated.connect(lambda _i: self.refresh())
        for edit in (self.start, self.end):
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.export_button.clicked.connect(self.export_data)
        self.report_button.clicked.connect(self.annual_report)

        self.refresh_filters()
        if settings.default_council_id and settings.default_council_id in self.councils.names:
            self.councils.set_selected([settings.default_council_id], notify=False)
        self._default_period()
        self._pending_sections = self._chart_sections()
        self.refresh()
        QTimer.singleShot(0, self, self._build_next_section)

    # -- building ------------------------------------------------------------------------

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _date_edit(self, name: str) -> QDateEdit:
        edit = accessible(QDateEdit(), name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(qt_date_format())
        return edit

    def _chart_sections(self) -> list[Callable[[], None]]:
        """The four sections of charts, each built by one call."""
        return [
            lambda: self._section(_("Meetings"), [
                ("per_month", LineChart(_("Meetings per month"),
                                        _("No meeting held in this period."))),
                ("by_kind", BarChart(_("Meetings by kind"), _("No meeting held in this period."))),
                ("participants_month", LineChart(_("Participants per month"),
                                                 _("No participant recorded in this period."))),
                ("average_kind", BarChart(_("Participants per meeting, by kind (average)"),
                                          _("No participant recorded in this period."))),
            ]),
            lambda: self._section(_("Who takes part"), [
                ("gender", BarChart(_("Women and men"),
                                    _("No participant recorded in this period."))),
                ("ages", BarChart(_("Age"), _("No participant recorded in this period."))),
                ("residence", BarChart(_("Residents and partners"),
                                       _("No participant recorded in this period."))),
                ("new_returning", BarChart(_("Newcomers and returning participants"),
                                           _("No participant recorded in this period."))),
            ]),
            lambda: self._section(_("Members and actions"), [
                ("member_status", BarChart(_("Attendance of the members called"),
                                           _("No member attendance recorded in this period."))),
                ("by_council", BarChart(_("Member attendance rate by council"),
                                        _("No member attendance recorded in this period."),
                                        value_format=percent, maximum=1, track=True)),
                ("action_status", BarChart(_("Actions decided in the period, by status"),
                                           _("No action decided in this period."))),
            ]),
            lambda: self._section(_("Walking diagnostics"), [
                ("themes", BarChart(_("Observations by theme"),
                                    _("No observation in this period."))),
                ("followups", BarChart(_("Follow-ups by status"),
                                       _("No follow-up for the observations of this period."))),
                ("delays", BarChart(_("Median time from sending to resolution, by body"),
                                    _("No follow-up resolved in this period."),
                                    value_format=days)),
            ]),
        ]

    def _build_next_section(self) -> None:
        """One section of charts per turn of the event loop, just after the page first
        shows: its filters and key figures are on screen at once, and the window never
        waits for the fourteen charts together (issue 7)."""
        if self._pending_sections:
            self._pending_sections.pop(0)()
            self._follow_visibility()
        if self._pending_sections:
            QTimer.singleShot(0, self, self._build_next_section)

    def _build_charts(self) -> None:
        """Every section not built yet, now (figures to show)."""
        while self._pending_sections:
            self._pending_sections.pop(0)()
        self._follow_visibility()

    def _follow_visibility(self) -> None:
        if self.tile_grid.isHidden():  # nothing to show at the moment
            for label, grid in self.sections:
                label.hide()
                grid.hide()

    def _section(self, title: str, charts: list[tuple[str, Any]]) -> None:
        label = section(title)
        grid = ResponsiveGrid(item_chars=58, max_columns=2)
        for key, chart in charts:
            card = ChartCard(chart, _(EXPLAIN[key]))
            chart.file_stem = lambda c=chart: self._file_stem(c.title)
            chart.about = self._about
            self.cards[key] = grid.add(card)
        # Before the stretch that ends the page.
        self.figures_layout.insertWidget(self.figures_layout.count() - 1, label)
        self.figures_layout.insertWidget(self.figures_layout.count() - 1, grid)
        self.sections.append((label, grid))

    def _about(self) -> str:
        """« Ma Campagne — du 1er janvier 2025 au 31 décembre 2025 — R3 »: under the title
        of a chart copied or saved as an image."""
        parts = [first_upper(self.councils.summary()), self._period_text()]
        if self.objective.currentData():
            parts.append(_("part of the PERR %(code)s") % {
                "code": self.objective.currentData()})
        return " — ".join(p for p in parts if p)

    def _file_stem(self, what: str) -> str:
        return f"{what} — {self.councils.summary()} — {self._period_text(short=True)}"

    # -- filters -------------------------------------------------------------------------

    def refresh_filters(self) -> None:
        """Councils, years, vocabularies and the PERR tree may have changed on other
        pages."""
        self._vocabularies: dict[str, tuple[dict[str, str], dict[str, int]]] = {}
        self.councils.set_councils([(c["id"], c["name"])
                                    for c in councils.list_councils(self.db)])
        today = _today()
        # The years that have begun (planned meetings may already fill next year).
        self.years = sorted({y for y in indicators.years_with_data(self.db)
                             if y <= today.year} | {today.year}, reverse=True)
        fill_combo(self.year, [(str(y), y) for y in self.years])
        entries = [(_("The whole PERR"), None)]
        for node in reference.perr_objectives(self.db):
            if node["level"] == "pillar":
                entries.append((f"{node['code']} — {node['label']}", node["code"]))
            elif node["level"] == "theme":
                entries.append((f"    {node['code']} — {node['label']}", node["code"]))
        fill_combo(self.objective, entries)
        for row, (label, _code) in enumerate(entries):
            self.objective.setItemData(row, label.strip(), Qt.ItemDataRole.ToolTipRole)

    def _default_period(self) -> None:
        """The current year; in January, the year just ended (the time of the annual
        report); a year without anything falls back to the latest year with data."""
        today = _today()
        year = today.year - 1 if today.month == 1 else today.year
        with_data = [y for y in indicators.years_with_data(self.db) if y <= today.year]
        if with_data and year not in with_data:
            year = max(with_data)
        set_combo_data(self.year, year)
        set_combo_data(self.quarter, (today.month - 1) // 3 + 1)
        with QSignalBlocker(self.start), QSignalBlocker(self.end):
            self.start.setDate(QDate(today.year, 1, 1))
            self.end.setDate(QDate(today))
        set_combo_data(self.period_kind, YEAR)
        self._show_period_fields()

    def _show_period_fields(self) -> None:
        kind = self.period_kind.currentData()
        self.year.setVisible(kind in (YEAR, QUARTER))
        self.quarter.setVisible(kind == QUARTER)
        for widget in (self.start, self.dates_label, self.end):
            widget.setVisible(kind == DATES)

    def _period_kind_changed(self) -> None:
        self._show_period_fields()
        self.refresh()

    def set_period(self, kind: str, year: int | None = None, quarter: int | None = None,
                   start: dt.date | None = None, end: dt.date | None = None) -> None:
        """Choose a period as the user would (``end`` is the last day, included)."""
        set_combo_data(self.period_kind, kind)
        if year is not None:
            if self.year.findData(year) < 0:
                self.year.addItem(str(year), year)
            set_combo_data(self.year, year)
        if quarter is not None:
            set_combo_data(self.quarter, quarter)
        with QSignalBlocker(self.start), QSignalBlocker(self.end):
            if start is not None:
                self.start.setDate(QDate(start))
            if end is not None:
                self.end.setDate(QDate(end))
        self._show_period_fields()
        self.refresh()

    def current_filters(self) -> Filters:
        """The filters as chosen; a :class:`UserError` for dates the wrong way round."""
        kind = self.period_kind.currentData()
        ids = self.councils.selected()
        code = self.objective.currentData()
        year = self.year.currentData() or _today().year
        if kind == QUARTER:
            return Filters.quarter(year, self.quarter.currentData() or 1, ids, code)
        if kind == DATES:
            start, last = self.start.date().toPython(), self.end.date().toPython()
            if last < start:
                raise UserError(_("The last day comes before the first day: change one of "
                                  "the dates."))
            return Filters.between(start, last + dt.timedelta(days=1), ids, code)
        return Filters.year(year, ids, code)

    def _period_text(self, short: bool = False) -> str:
        f = self._filters
        if f is None:
            return ""
        last = f.end - dt.timedelta(days=1)
        kind = self.period_kind.currentData()
        if short and kind == YEAR:
            return str(f.start.year)
        if short and kind == QUARTER:
            return _("Q%(number)d %(year)d") % {"number": self.quarter.currentData(),
                                                "year": f.start.year}
        if short:
            return f"{i18n.format_date(f.start, 'short')} – {i18n.format_date(last, 'short')}"
        # TRANSLATORS: a period of days, e.g. « du 1 janvier 2026 au 31 mars 2026 »
        return pgettext("date range", "from %(start)s to %(end)s") % {
            "start": i18n.format_date(f.start), "end": i18n.format_date(last)}

    # -- refreshing ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute every figure for the filters as they are now, in the background
        (ten years of data take about a tenth of a second: the window does not wait);
        nothing to do when neither the filters nor the data changed since the figures
        shown were computed."""
        self._refresh_started = time.perf_counter()
        self.banner.clear_message()
        try:
            filters = self.current_filters()
        except UserError as exc:
            self._reading = None
            self._filters = None
            self.figures = None
            self._shown = None
            self.banner.show_message(exc.message)
            self.summary.clear()
            self._show_nothing("")   # the banner says why
            self.perr.stale = True
            self._refresh_perr_if_shown()
            return
        today = _today()
        state = (filters, today, self.db.change_mark())
        if state == self._shown and self.figures is not None:
            self._reading = None      # an older read still running is not wanted
            return
        self._reading = state
        self.summary.setText(_("Computing the figures…"))
        self.reader.read(lambda db: indicators.compute(db, filters, today))

    def _answered(self, figures: dict[str, Any]) -> None:
        state, self._reading = self._reading, None
        if state is None or self.db.closed:   # superseded, or the window is closing
            return
        self._shown = state
        self._filters = state[0]
        self.figures = figures
        self._show(figures)
        self.perr.stale = True
        self._refresh_perr_if_shown()
        self.last_refresh_ms = (time.perf_counter() - self._refresh_started) * 1000

    def _refused(self, message: str) -> None:
        self._reading = None
        self.banner.show_message(message)

    def _refresh_perr_if_shown(self) -> None:
        if self.tabs.currentWidget() is not self.perr or not self.perr.stale:
            return
        if self._filters is None:
            self.perr.refresh([])
            return
        filters, today = self._filters, _today()
        self.perr_reader.read(lambda db: indicators.perr_view(db, filters, today))

    def _perr_answered(self, nodes: list[dict[str, Any]]) -> None:
        if not self.db.closed:   # the window may be closing
            self.perr.refresh(nodes)

    def activate(self) -> None:
        self.refresh_filters()
        self.refresh()

    def _show_nothing(self, message: str) -> None:
        self._build_charts()
        self.empty.setText(message)
        self.empty.setVisible(bool(message))
        self.tile_grid.hide()
        for label, grid in self.sections:
            label.hide()
            grid.hide()

    def _show(self, figures: dict[str, Any]) -> None:
        self._build_charts()
        f = self._filters
        today = _today()
        text = _("Figures %(period)s for %(councils)s") % {
            "period": self._period_text(), "councils": self.councils.summary()}
        if self.objective.currentData():
            text += _(", part of the PERR %(code)s") % {
                "code": self.objective.currentText().strip()}
        if f.start <= today < f.end - dt.timedelta(days=1):
            text += _(" — the period is not over: counted up to today, %(today)s.") % {
                "today": i18n.format_date(today)}
        elif f.start > today:
            text += _(" — the period has not started yet.")
        self.summary.setText(text)

        meetings, walks = figures["meetings"], figures["walks"]
        actions = figures["actions"]
        if not (meetings["held"] or walks["held"] or actions["opened"] or actions["closed"]
                or actions["open_at_end"] or figures["observations"]["resolved"]):
            if not self.councils.names:
                message = _("No council yet: create the councils on the Councils page, "
                            "then plan their meetings; their figures appear here.")
            else:
                message = _("Nothing took place in this period for these councils: no "
                            "meeting, no walking diagnostic, no action.")
                years = [y for y in indicators.years_with_data(self.db) if y <= today.year]
                if years:
                    message += " " + _("The database holds figures for %(years)s (all "
                                       "councils together): choose another period or "
                                       "other councils.") % {
                        "years": ", ".join(str(y) for y in years[-6:])}
            self._show_nothing(message)
            return
        self.empty.hide()
        self.tile_grid.show()
        for label, grid in self.sections:
            label.show()
            grid.show()
        self._show_tiles(figures)
        self._show_charts(figures)
        for _label, grid in self.sections:
            grid.relayout()

    def _show_tiles(self, figures: dict[str, Any]) -> None:
        meetings, people = figures["meetings"], figures["participants"]
        members, actions = figures["members"], figures["actions"]
        observations, walks, perr = (figures["observations"], figures["walks"],
                                     figures["perr"])
        t = self.tiles
        t["held"].set(number(meetings["held"]))
        t["participants"].set(number(people["total"]), _("%(average)s per meeting") % {
            "average": number(people["average_per_meeting"])})
        t["distinct"].set(number(people["distinct"]), _("%(named)s named, %(counted)s "
                                                         "counted without a name") % {
            "named": number(people["distinct_named"]), "counted": number(people["counted"])})
        t["women"].set(percent(people["women_share"]), _("of the participations whose "
                                                         "gender is known"))
        t["young"].set(percent(people["under_25_share"]), _("of the participations whose "
                                                            "age is known"))
        t["residents"].set(percent(people["residents_share"]), _(
            "%(residents)s residents, %(partners)s partners") % {
            "residents": number(people["residents"]), "partners": number(people["partners"])})
        t["newcomers"].set(number(people["newcomers"]), _("%(returning)s returning") % {
            "returning": number(people["returning"])})
        not_recorded = members["not_recorded"]
        recorded = sum(members[k] for k in ("present", "represented", "excused", "absent"))
        detail = ngettext("over %(count)s attendance recorded",
                          "over %(count)s attendances recorded", recorded) % {
            "count": number(recorded)} if recorded else ""
        if not_recorded:
            detail += ngettext(", %(count)s not recorded", ", %(count)s not recorded",
                               not_recorded) % {"count": number(not_recorded)}
        t["attendance"].set(percent(members["attendance_rate"]), detail)
        t["actions"].set(number(actions["opened"]), _("%(closed)s closed in the period") % {
            "closed": number(actions["closed"])})
        t["open_actions"].set(number(actions["open_at_end"]), _(
            "median age: %(age)s") % {"age": days(actions["median_age_days_open_at_end"])}
            if actions["open_at_end"] else "")
        t["walks"].set(number(walks["held"]), _("%(count)s participants") % {
            "count": number(walks["participants"])})
        t["observations"].set(number(observations["total"]), _(
            "%(positive)s strong points, %(negative)s weak points") % {
            "positive": number(observations["positive"]),
            "negative": number(observations["negative"])})
        reminders = observations["to_remind"]
        detail = _("%(open)s waiting") % {"open": number(observations["open"])}
        if reminders:
            detail += ngettext(", %(count)s follow-up to chase up",
                               ", %(count)s follow-ups to chase up",
                               reminders) % {"count": number(reminders)}
        t["resolved"].set(number(observations["resolved"]), detail)
        t["perr"].set(number(perr["objectives_covered"]), _("of %(total)s objectives") % {
            "total": number(perr["objectives"])})

    def _labels(self, kind: str) -> tuple[dict[str, str], dict[str, int]]:
        """A vocabulary's labels (code → label) and order (read in refresh_filters)."""
        if kind not in self._vocabularies:
            entries = reference.vocabulary(self.db, kind)
            self._vocabularies[kind] = (reference.vocabulary_labels(self.db, kind),
                                        {v["code"]: n for n, v in enumerate(entries)})
        return self._vocabularies[kind]

    def _show_charts(self, figures: dict[str, Any]) -> None:
        meetings, people = figures["meetings"], figures["participants"]
        members, actions = figures["members"], figures["actions"]
        observations = figures["observations"]
        card = self.cards
        months = [m["month"] for m in meetings["per_month"]]
        month_dates = [dt.date(int(m[:4]), int(m[5:]), 1) for m in months]
        one_year = len({d.year for d in month_dates}) == 1
        long_labels = [i18n.format_date(d, "MMMM y") for d in month_dates]
        axis = [i18n.format_date(d, "MMM" if one_year else "MMM yy") for d in month_dates]
        held = meetings["held"]

        # A month that has not begun has no figure yet: no point, rather than a 0.
        started = [d <= _today() for d in month_dates]

        def monthly(values: list[int], name: str) -> ChartData:
            return ChartData(categories=long_labels, series=[Series(name)],
                             values=[[v if s else None] for v, s in zip(values, started,
                                                                        strict=True)],
                             category_title=_("Month"), axis_labels=axis)

        card["per_month"].set_data(monthly([m["n"] for m in meetings["per_month"]],
                                           _("Meetings")) if held else ChartData())
        per_month = Counter()
        for m in people["per_meeting"]:
            per_month[m["date"][:7]] += m["participants"]
        card["participants_month"].set_data(
            monthly([per_month.get(m, 0) for m in months], _("Participants"))
            if people["total"] else ChartData())

        kinds, kind_order = self._labels("meeting_kind")
        by_kind = sorted(meetings["by_kind"].items(),
                         key=lambda kv: (kind_order.get(kv[0], 999), kv[0]))
        card["by_kind"].set_data(bar_data(
            [(kinds.get(code, code), n) for code, n in by_kind], _("Meetings"),
            _("Kind of meeting")) if by_kind else ChartData())
        totals: dict[str, int] = defaultdict(int)
        for m in people["per_meeting"]:
            totals[m["kind"]] += m["participants"]
        card["average_kind"].set_data(bar_data(
            [(kinds.get(code, code), totals[code] / n) for code, n in by_kind],
            _("Participants per meeting"), _("Kind of meeting"),
            notes=[ngettext("%(meetings)s meeting, %(people)s participants",
                            "%(meetings)s meetings, %(people)s participants", n) % {
                "meetings": number(n), "people": number(totals[code])}
                for code, n in by_kind], note_title=_("Based on"))
            if people["total"] else ChartData())

        total = people["total"]
        card["gender"].set_data(bar_data(
            [(first_upper(_(GENDER_LABELS[g])), people["gender"].get(g.value, 0))
             for g in Gender], _("Participations"), _("Gender"))
            if total else ChartData())
        card["ages"].set_data(bar_data(
            [(first_upper(_(AGE_BAND_LABELS[b])), people["age_bands"].get(b.value, 0))
             for b in AgeBand], _("Participations"), _("Age"))
            if total else ChartData())
        card["residence"].set_data(bar_data(
            [(_("Residents"), people["residents"]), (_("Partners"), people["partners"]),
             (_("Not known"), people["residence_unknown"])], _("Participations"),
            _("Participants")) if total else ChartData())
        card["new_returning"].set_data(bar_data(
            [(_("Newcomers"), people["newcomers"]), (_("Returning"), people["returning"]),
             (_("Not known"), people["newcomers_unknown"])], _("Distinct participants"),
            _("Participants")) if people["distinct"] else ChartData())

        statuses, _order = self._labels("attendance_status")
        member_rows = [(statuses.get(code, code), members[key]) for code, key in (
            ("present", "present"), ("represente", "represented"), ("excuse", "excused"),
            ("absent", "absent"))]
        member_rows.append((_("Not recorded"), members["not_recorded"]))
        card["member_status"].set_data(
            bar_data(member_rows, _("Members"), _("Attendance"))
            if any(n for _l, n in member_rows) else ChartData())
        names = self.councils.names
        rates = sorted(((names.get(cid) or self.db.scalar(
            "SELECT name FROM councils WHERE id = ?", (cid,)) or "?", rate) for cid, rate in
                        members["by_council"].items()), key=lambda p: p[0])
        card["by_council"].set_data(
            bar_data(rates, _("Attendance rate"), _("Council"))
            if any(rate is not None for _n, rate in rates) else ChartData())
        card["by_council"].setVisible(len(rates) > 1)

        card["action_status"].set_data(bar_data(
            [(first_upper(_(label)), actions["by_status"].get(code.value, 0))
             for code, label in ACTION_STATUS_LABELS.items()], _("Actions"), _("Status"))
            if actions["opened"] else ChartData())

        themes, theme_order = self._labels("observation_theme")
        by_theme = sorted(observations["by_theme"].items(),
                          key=lambda kv: (-(kv[1]["positive"] + kv[1]["negative"]),
                                          theme_order.get(kv[0], 999)))
        card["themes"].set_data(ChartData(
            categories=[themes.get(code, code) if code else _("No theme")
                        for code, _v in by_theme],
            series=[Series(_("Strong points"), STRONG), Series(_("Weak points"), WEAK)],
            values=[[v["positive"], v["negative"]] for _c, v in by_theme],
            category_title=_("Theme")) if by_theme else ChartData())

        status_labels, status_order = self._labels("followup_status")
        by_status = sorted(observations["by_status"].items(),
                           key=lambda kv: (status_order.get(kv[0], 999), kv[0]))
        card["followups"].set_data(bar_data(
            [(status_labels.get(code, code), n) for code, n in by_status],
            _("Follow-ups"), _("Status")) if by_status else ChartData())

        bodies, body_order = self._labels("body")
        delays = sorted(observations["median_days_to_resolution_by_body"].items(),
                        key=lambda kv: (body_order.get(kv[0], 999), kv[0]))
        counts = observations["resolutions_by_body"]
        card["delays"].set_data(bar_data(
            [(bodies.get(code, code), value) for code, value in delays],
            _("Median time"), _("Body"),
            notes=[ngettext("%(count)s follow-up resolved", "%(count)s follow-ups resolved",
                            counts.get(code, 0)) % {"count": number(counts.get(code, 0))}
                   for code, _v in delays], note_title=_("Based on"))
            if delays else ChartData())

    # -- exports -------------------------------------------------------------------------

    def _status(self, message: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 10000)

    def export_data(self) -> None:
        """« Exporter… »: choose the table, then the file; written off the GUI thread."""
        from perr_desktop.services import exports
        from perr_desktop.ui.worker import run_with_progress

        chosen = self.councils.selected()
        year = (self._filters.start.year if self._filters is not None
                else self.year.currentData())
        dialog = ExportDialog(self.db, chosen[0] if chosen and len(chosen) == 1 else None,
                              year, self.years, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            return
        choice = dialog.choice
        what = choice["what"]
        label = _(next(lbl for code, lbl, _h in EXPORTS if code == what))
        suffix, file_filter = ((".geojson", _("GeoJSON file (*.geojson)")) if what == "geojson"
                               else (".csv", _("CSV table (*.csv)")))
        stem = label.split(" (")[0]
        parts = [stem, choice["council_name"] if choice["council_id"] else _("all councils")]
        if choice["year"]:
            parts.append(str(choice["year"]))
        suggested = Path.home() / f"{safe_file_name(' — '.join(parts))}{suffix}"
        target, _filter = QFileDialog.getSaveFileName(self, _("Export %(what)s") % {
            "what": label}, str(suggested), file_filter)
        if not target:
            return
        path = Path(target)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        lang = i18n.get_language()

        def work(db, _progress, cancelled) -> int | None:
            if what == "geojson":
                count = exports.export_geojson(db, path, council_id=choice["council_id"],
                                               lang=lang)
            else:
                count = exports.export_csv(db, what, path, council_id=choice["council_id"],
                                           year=choice["year"],
                                           anonymize=choice["anonymize"], lang=lang)
            if cancelled():   # « Annuler » pressed meanwhile: no file, as asked
                path.unlink(missing_ok=True)
                return None
            return count

        try:
            count = run_with_progress(self, self.db.path, _("Exporting…"), work)
        except UserError as exc:
            show_error(self, exc)
            return
        if count is None:
            return
        self.last_export = path
        self._status(ngettext("%(count)s line exported to %(path)s",
                              "%(count)s lines exported to %(path)s", count)
                     % {"count": number(count), "path": path})

    # -- the annual report ---------------------------------------------------------------

    def annual_report(self) -> None:
        """« Bilan annuel (PDF)… » for the chosen councils, built off the GUI thread and
        shown in the preview (print, save)."""
        from perr_desktop.ui.pdf_preview import PdfPreview
        from perr_desktop.ui.worker import run_with_progress

        year = (self._filters.end - dt.timedelta(days=1)).year if self._filters else \
            (self.year.currentData() or _today().year)
        dialog = AnnualReportDialog(year, self.years,
                                    first_upper(self.councils.summary()), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        year, lang = dialog.year.currentData(), dialog.language.currentData()
        council_ids = self.councils.selected()
        today = _today()

        def work(db, _progress, _cancelled) -> bytes:
            from perr_desktop.reports.annual import build_annual_report

            return build_annual_report(db, list(council_ids) if council_ids else None,
                                       year, lang, today=today)

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pdf = run_with_progress(self, self.db.path, _("Preparing the annual report…"),
                                    work)
        except UserError as exc:
            QGuiApplication.restoreOverrideCursor()
            show_error(self, exc)
            return
        finally:
            if QGuiApplication.overrideCursor() is not None:
                QGuiApplication.restoreOverrideCursor()
        if not pdf:
            return
        title = _("Annual report %(year)d") % {"year": year}
        name = safe_file_name(f"{title} — {self.councils.summary()}")
        PdfPreview(pdf, title, str(Path.home() / f"{name}.pdf"), self).exec()


