"""設定's switch for `shopline schedule`: a real click on the box installs and removes the per-user job through
the same Installer, its files written under a tmp home and the platform's tools recorded, not run."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from shopline.schedule.install import Installer
from shopline.ui import operations
from shopline.ui.scenarios import auto_run

pytest_plugins = ("ui_fixtures",)


def tick(box):
    """Click the check box's square (the box spans the settings column, so its centre is empty space)."""
    QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


class Tools:
    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.returncode = 0

    def __call__(self, args):
        self.calls.append(tuple(args))
        return subprocess.CompletedProcess(args, self.returncode, "", "")


def test_the_switch_installs_and_removes_the_job_and_says_its_status(make_window, qtbot, monkeypatch, tmp_path):
    tools = Tools()
    installer = Installer(tmp_path / "shop", home=tmp_path / "home", platform="linux", run=tools)
    monkeypatch.setattr(auto_run, "installer_factory", lambda: installer)
    window = make_window()
    row = [window.nav.item(i).text() for i in range(window.nav.count())].index("設定")
    rect = window.nav.visualItemRect(window.nav.item(row))
    QTest.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    switch = window.settings_page.auto_run
    qtbot.waitUntil(lambda: switch.isVisible() and "設定されていません" in switch.status.text(), timeout=5000)
    assert not switch.box.isChecked()

    tick(switch.box)
    qtbot.waitUntil(lambda: "5分ごと" in switch.status.text(), timeout=5000)
    assert switch.box.isChecked() and all(p.exists() for p in installer.paths())
    assert ("systemctl", "--user", "enable", "--now", "shopline-run-due.timer") in tools.calls
    assert str(tmp_path / "shop") in installer.paths()[0].read_text()

    tick(switch.box)
    qtbot.waitUntil(lambda: "設定されていません" in switch.status.text(), timeout=5000)
    assert not switch.box.isChecked() and not any(p.exists() for p in installer.paths())
    assert ("systemctl", "--user", "disable", "--now", "shopline-run-due.timer") in tools.calls


def test_a_refusing_tool_is_said_and_the_box_shows_what_is_there(make_window, qtbot, monkeypatch, tmp_path):
    tools = Tools()
    tools.returncode = 1
    installer = Installer(tmp_path / "shop", home=tmp_path / "home", platform="linux", run=tools)
    monkeypatch.setattr(auto_run, "installer_factory", lambda: installer)
    window = make_window()
    window.nav.setCurrentRow(window.pages.indexOf(window.settings_page))
    switch = window.settings_page.auto_run
    qtbot.waitUntil(lambda: "設定されていません" in switch.status.text(), timeout=5000)
    tick(switch.box)
    qtbot.waitUntil(lambda: "有効にできませんでした" in switch.status.text(), timeout=5000)
    assert operations.wait_idle(5000)
    # The files were written, so the box is on; the sentence says systemctl did not enable them.
    assert switch.box.isChecked() and switch.box.isEnabled()
