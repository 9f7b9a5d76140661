"""The built wheel carries what the application reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from perr_desktop import paths


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         str(paths.resources_dir().parent), "-w", str(out)],
        check=True,
    )
    [built] = out.glob("perr_desktop-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_carries_resources_translations_and_guide(wheel):
    names = set(wheel.namelist())
    for name in ("neighbourhoods.json", "vocabularies.json", "perr_objectives.json"):
        assert f"perr_desktop/_data/resources/{name}" in names
    for lang in ("fr", "en"):
        assert f"perr_desktop/_data/translations/{lang}/LC_MESSAGES/messages.mo" in names
    assert "perr_desktop/_data/docs/guide-utilisateur.md" in names


def test_wheel_declares_both_entry_points(wheel):
    [entry_points] = [n for n in wheel.namelist() if n.endswith("entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "perr-desktop = perr_desktop.__main__:main" in text
    assert "perr-desktop-gui = perr_desktop.__main__:main" in text


def test_source_tree_has_no_stray_data_copy():
    # paths._data_root prefers perr_desktop/_data: it must exist only inside the wheel.
    assert not (paths.resources_dir().parent / "perr_desktop" / "_data").exists()
