"""Keep the translation catalogues in step with the code.

    python -m tools.catalogs update    extract messages.pot, merge it into every .po,
                                       fill the English catalogue, compile the .mo files
    python -m tools.catalogs compile   compile the .mo files only (after translating)
    python -m tools.catalogs check     exit 1 when something is stale or untranslated
    python -m tools.catalogs todo [LANG]             print the untranslated or fuzzy entries
                                                     as JSON, to be filled in (default: fr)
    python -m tools.catalogs apply FILE.json [LANG]  write a filled-in todo file into the .po,
                                                     clear the fuzzy flags, compile

Message ids are English. ``en`` copies them; ``fr`` is written by a person: a French
entry left empty or fuzzy fails the tests.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "perr_desktop"
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
LANGUAGES = ("fr", "en")
# gettext: translators bound to a document language (``gettext = translator(lang).gettext``).
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2),
            "pgettext": ((1, "c"), 2)}


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def extract() -> Catalog:
    catalog = Catalog(project="PERR Desktop", msgid_bugs_address="", charset="utf-8",
                      fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        SOURCE, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True,
    ):
        catalog.add(message, None, [(f"perr_desktop/{filename}", lineno)],
                    auto_comments=comments, context=context)
    return catalog


def _serialise_po(catalog: Catalog, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, include_lineno=False,
             sort_by_file=True, **kwargs)
    # The creation date changes at every run; keep files stable across runs.
    return b"\n".join(
        line for line in buffer.getvalue().split(b"\n")
        if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date'))
    )


_FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def _serialise_mo(catalog: Catalog) -> bytes:
    # The header would otherwise carry "now", making every compile differ.
    catalog.creation_date = catalog.revision_date = _FIXED_DATE
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def merged(lang: str, template: Catalog) -> Catalog:
    path = po_path(lang)
    if path.exists():
        catalog = _read(path, lang)
        catalog.update(template, update_header_comment=False)
    else:
        catalog = Catalog(locale=lang, project="PERR Desktop", charset="utf-8", fuzzy=False)
        catalog.update(template)
    catalog.obsolete.clear()
    if lang == "en":
        for message in catalog:
            if not message.id:
                continue
            message.string = message.id
            message.flags.discard("fuzzy")
    return catalog


def _needs_translation(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(message.id) and (message.fuzzy or not all(strings))


def untranslated(catalog: Catalog) -> list[str]:
    return [message.id if isinstance(message.id, str) else message.id[0]
            for message in catalog if _needs_translation(message)]


# A todo file maps each msgid (``context\x04msgid`` when there is a context) to "" or, for
# a plural, to a list of ``num_plurals`` strings. The "# <msgid>" key just before each entry
# only informs the translator (source, English plural, fuzzy guess); apply skips it.
_NOTE = "# "
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _key(message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return f"{message.context}\x04{msgid}" if message.context else msgid


def todo(lang: str = "fr") -> dict:
    catalog = _read(po_path(lang), lang)
    out: dict = {}
    for message in catalog:
        if not _needs_translation(message):
            continue
        note = [", ".join(sorted({path for path, _ in message.locations}))]
        if message.pluralizable:
            note.append(f"plural: {message.id[1]}")
        if message.auto_comments:
            note.append(f"comment: {' '.join(message.auto_comments)}")
        guess = message.string if message.pluralizable else (message.string,)
        if message.fuzzy and any(guess):
            note.append(f"fuzzy guess: {' | '.join(guess)}")
        out[_NOTE + _key(message)] = " ; ".join(note)
        out[_key(message)] = [""] * catalog.num_plurals if message.pluralizable else ""
    return out


def apply(path: Path, lang: str = "fr") -> int:
    """Write the translations of a filled-in todo file; return how many were written."""
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    catalog = _read(po_path(lang), lang)
    written, errors = 0, []
    for key, string in translations.items():
        context, _, msgid = key.rpartition("\x04")
        message = catalog.get(msgid, context or None)
        if message is None:
            if not key.startswith(_NOTE):  # changed in the code since: translate it again
                print(f"skipped, no longer in the catalogue: {key!r}", file=sys.stderr)
            continue
        if not string or (isinstance(string, list) and not any(string)):
            continue  # left for later
        if not (isinstance(string, list) and len(string) == catalog.num_plurals
                and all(isinstance(s, str) for s in string) if message.pluralizable
                else isinstance(string, str)):
            forms = f"a list of {catalog.num_plurals}" if message.pluralizable else "a string"
            errors.append(f"{key!r} needs {forms}")
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = string if message.pluralizable else [string]
        if any(set(_PLACEHOLDER.findall(s)) != set(_PLACEHOLDER.findall(ids[-1]))
               for s in strings):
            errors.append(f"placeholders differ from the English: {key!r}")
            continue
        message.string = tuple(string) if message.pluralizable else string
        message.flags.discard("fuzzy")
        written += 1
    for line in errors:
        print(line, file=sys.stderr)
    if errors:
        raise SystemExit(f"{len(errors)} problem(s): nothing written")
    po_path(lang).write_bytes(_serialise_po(catalog))
    compile_all()
    print(f"{written} translations written, {len(untranslated(catalog))} left in {lang}")
    return written


def update() -> None:
    template = extract()
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_bytes(_serialise_po(template))
    for lang in LANGUAGES:
        catalog = merged(lang, template)
        po_path(lang).parent.mkdir(parents=True, exist_ok=True)
        po_path(lang).write_bytes(_serialise_po(catalog))
    compile_all()


def compile_all() -> None:
    for lang in LANGUAGES:
        mo_path(lang).write_bytes(_serialise_mo(_read(po_path(lang), lang)))


def problems() -> list[str]:
    """Everything that would make a release ship stale or untranslated text."""
    found = []
    template = extract()
    if not POT.exists() or POT.read_bytes() != _serialise_po(template):
        found.append("translations/messages.pot is out of date: "
                     "run python -m tools.catalogs update")
    for lang in LANGUAGES:
        if not po_path(lang).exists():
            found.append(f"{po_path(lang)} is missing")
            continue
        catalog = _read(po_path(lang), lang)
        ids = {m.id for m in catalog if m.id}
        missing = {m.id for m in template if m.id} - ids
        if missing:
            found.append(f"{lang}: {len(missing)} messages not merged (run update)")
        todo = untranslated(catalog)
        if todo:
            found.append(f"{lang}: {len(todo)} untranslated or fuzzy, e.g. {todo[0]!r}")
        if not mo_path(lang).exists() or mo_path(lang).read_bytes() != _serialise_mo(catalog):
            found.append(f"{mo_path(lang)} is out of date: run python -m tools.catalogs compile")
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "todo" and len(argv) <= 2:
        print(json.dumps(todo(*argv[1:]), ensure_ascii=False, indent=1))
        return 0
    if command == "apply" and len(argv) in (2, 3):
        apply(Path(argv[1]), *argv[2:])
        return 0
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command != "check":
        print(__doc__)
        return 2
    issues = problems()
    for line in issues:
        print(line)
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
