"""`shopline schedule`: the systemd user timer checked by systemd itself where it is present, the LaunchAgent
read back by plistlib, and the Task Scheduler XML against its schema's required elements."""

from __future__ import annotations

import plistlib
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from shopline.cli import main
from shopline.schedule import files
from shopline.schedule.install import Installer, command

NS = {"t": files.TASK_NS}


class Tools:
    """The platform's tools, recorded instead of run."""

    def __init__(self, returncode: int = 0) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.returncode = returncode

    def __call__(self, args):
        self.calls.append(tuple(args))
        return subprocess.CompletedProcess(args, self.returncode, "", "")


def test_systemd_files_verify_and_run_run_due_on_this_data_folder(tmp_path):
    folder = tmp_path / "my shop"  # a space, which ExecStart must quote
    folder.mkdir()
    tools = Tools()
    installer = Installer(folder, home=tmp_path / "home", platform="linux", run=tools)
    status = installer.install()
    service, timer = installer.paths()
    assert status.installed and status.active
    assert f'"{folder}"' in service.read_text() and "run-due" in service.read_text()
    assert "OnCalendar=*:0/5" in timer.read_text() and "Persistent=true" in timer.read_text()
    assert ("systemctl", "--user", "enable", "--now", "shopline-run-due.timer") in tools.calls
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here")
    checked = subprocess.run(["systemd-analyze", "verify", "--user", str(service), str(timer)],
                             capture_output=True, text=True, timeout=60,
                             env={"XDG_RUNTIME_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert checked.returncode == 0 and "shopline-run-due" not in checked.stderr, checked.stderr


def test_removing_takes_the_files_away(tmp_path):
    tools = Tools()
    installer = Installer(tmp_path, home=tmp_path / "home", platform="linux", run=tools)
    installer.install()
    status = installer.remove()
    assert not status.installed and not any(p.exists() for p in installer.paths())
    assert ("systemctl", "--user", "disable", "--now", "shopline-run-due.timer") in tools.calls


def test_a_launch_agent_every_5_minutes(tmp_path):
    tools = Tools()
    installer = Installer(tmp_path / "shop", home=tmp_path / "home", platform="darwin", run=tools)
    installer.install()
    (plist,) = installer.paths()
    assert plist.parent == tmp_path / "home" / "Library" / "LaunchAgents"
    data = plistlib.loads(plist.read_bytes())
    assert data["Label"] == files.LABEL and data["StartInterval"] == 300 and data["RunAtLoad"] is True
    assert data["ProgramArguments"][-3:] == ["--data-dir", str(tmp_path / "shop"), "run-due"]
    assert any(call[:2] == ("launchctl", "bootstrap") for call in tools.calls)


def test_a_task_scheduler_task_with_the_required_elements(tmp_path):
    tools = Tools()
    installer = Installer(tmp_path / "ショップ", home=tmp_path, platform="win32", run=tools)
    installer.install()
    (xml,) = installer.paths()
    root = ET.fromstring(xml.read_text(encoding="utf-16"))
    assert root.tag == f"{{{files.TASK_NS}}}Task" and root.get("version") == "1.2"
    for required in ("t:RegistrationInfo", "t:Triggers", "t:Principals", "t:Settings", "t:Actions"):
        assert root.find(required, NS) is not None, required
    trigger = root.find("t:Triggers/t:TimeTrigger", NS)
    assert trigger.find("t:StartBoundary", NS).text and trigger.find("t:Repetition/t:Interval", NS).text == "PT5M"
    assert root.find("t:Settings/t:MultipleInstancesPolicy", NS).text == "IgnoreNew"
    exec_ = root.find("t:Actions/t:Exec", NS)
    assert exec_.find("t:Command", NS).text == command(tmp_path)[0]
    assert "run-due" in exec_.find("t:Arguments", NS).text
    assert tools.calls[0][:3] == ("schtasks", "/Create", "/TN")


def test_no_secret_in_any_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", "secret-token-123")
    for platform in ("linux", "darwin", "win32"):
        installer = Installer(tmp_path / platform, home=tmp_path / platform, platform=platform, run=Tools())
        for path in installer.write():
            assert b"secret-token-123" not in path.read_bytes()


def test_the_status_command_says_when_nothing_is_installed(store, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["schedule", "status"]) == 0
    assert "自動実行は設定されていません" in capsys.readouterr().out
