"""`shopline schedule install | remove | status` for the platform at hand.

`run` executes the platform's tool (systemctl, launchctl, schtasks); tests pass their own, and a
missing tool is said in a sentence, with the files left in place for the shop to load by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from shopline.core.messages import ShopLineError, Text
from shopline.schedule import files

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


def _run(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=60, check=False)


@dataclass(frozen=True)
class Status:
    installed: bool
    active: bool
    where: list[Path]
    detail: str = ""

    def text(self) -> Text:
        where = ", ".join(str(p) for p in self.where)
        if not self.installed:
            return Text("自動実行は設定されていません。`shopline schedule install` で設定できます。",
                        "Automatic runs are not set up; `shopline schedule install` sets them up.")
        if self.active:
            return Text(f"{files.EVERY_MINUTES}分ごとに自動で実行されます({where})。",
                        f"run-due runs every {files.EVERY_MINUTES} minutes ({where}).")
        return Text(f"設定ファイルはありますが、動いていません({where})。"
                    f"`shopline schedule install` をもう一度実行してください。{self.detail}",
                    f"The files are there but the job is not running ({where}). Run `shopline schedule install` "
                    f"again. {self.detail}")


def command(data_dir: Path) -> list[str]:
    return [sys.executable, "-m", "shopline", "--data-dir", str(data_dir), "run-due"]


def _platform(platform: str | None) -> str:
    name = platform or sys.platform
    return "linux" if name.startswith("linux") else "mac" if name == "darwin" else \
        "windows" if name.startswith("win") else name


class Installer:
    def __init__(self, data_dir: Path, *, home: Path | None = None, platform: str | None = None,
                 run: Runner = _run) -> None:
        self.data_dir = data_dir
        self.home = home or Path.home()
        self.platform = _platform(platform)
        self.run = run

    # Where each platform keeps a user's jobs.
    def paths(self) -> list[Path]:
        if self.platform == "linux":
            base = Path(os.environ.get("XDG_CONFIG_HOME") or self.home / ".config") / "systemd" / "user"
            return [base / f"{files.NAME}.service", base / f"{files.NAME}.timer"]
        if self.platform == "mac":
            return [self.home / "Library" / "LaunchAgents" / f"{files.LABEL}.plist"]
        if self.platform == "windows":
            return [self.data_dir / "schedule" / f"{files.NAME}.xml"]
        raise ShopLineError(Text(f"このOS({self.platform})の自動実行には対応していません。",
                                 f"Automatic runs are not supported on {self.platform}."))

    def write(self) -> list[Path]:
        cmd = command(self.data_dir)
        paths = self.paths()
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
        if self.platform == "linux":
            paths[0].write_text(files.systemd_service(cmd), encoding="utf-8")
            paths[1].write_text(files.systemd_timer(), encoding="utf-8")
        elif self.platform == "mac":
            log = self.data_dir / "logs" / "run-due.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            paths[0].write_bytes(files.launch_agent(cmd, str(log)))
        else:
            start = dt.datetime.now().replace(second=0, microsecond=0).isoformat()
            paths[0].write_text(files.task_xml(cmd, start), encoding="utf-16")
        return paths

    def _tool(self, *args: str) -> subprocess.CompletedProcess[str]:
        try:
            return self.run(args)
        except (OSError, subprocess.SubprocessError) as exc:
            return subprocess.CompletedProcess(args, 127, "", str(exc))

    def install(self) -> Status:
        paths = self.write()
        if self.platform == "linux":
            steps = [("systemctl", "--user", "daemon-reload"),
                     ("systemctl", "--user", "enable", "--now", f"{files.NAME}.timer")]
        elif self.platform == "mac":
            uid = str(os.getuid()) if hasattr(os, "getuid") else "0"
            steps = [("launchctl", "bootout", f"gui/{uid}/{files.LABEL}"),
                     ("launchctl", "bootstrap", f"gui/{uid}", str(paths[0]))]
        else:
            steps = [("schtasks", "/Create", "/TN", files.TASK_NAME, "/XML", str(paths[0]), "/F")]
        for i, step in enumerate(steps):
            done = self._tool(*step)
            if done.returncode != 0 and not (self.platform == "mac" and i == 0):  # bootout of nothing: fine
                raise ShopLineError(Text(
                    f"自動実行のファイルは {paths[0].parent} に作りましたが、{step[0]} で有効にできませんでした"
                    f"({(done.stderr or done.stdout).strip()[:200]})。",
                    f"The files are in {paths[0].parent}, but {step[0]} could not enable them "
                    f"({(done.stderr or done.stdout).strip()[:200]})."))
        return self.status()

    def remove(self) -> Status:
        if self.platform == "linux":
            self._tool("systemctl", "--user", "disable", "--now", f"{files.NAME}.timer")
        elif self.platform == "mac":
            uid = str(os.getuid()) if hasattr(os, "getuid") else "0"
            self._tool("launchctl", "bootout", f"gui/{uid}/{files.LABEL}")
        else:
            self._tool("schtasks", "/Delete", "/TN", files.TASK_NAME, "/F")
        for path in self.paths():
            path.unlink(missing_ok=True)
        if self.platform == "linux":
            self._tool("systemctl", "--user", "daemon-reload")
        return self.status()

    def status(self) -> Status:
        paths = self.paths()
        installed = all(p.exists() for p in paths)
        if not installed:
            return Status(False, False, paths)
        if self.platform == "linux":
            done = self._tool("systemctl", "--user", "is-active", f"{files.NAME}.timer")
        elif self.platform == "mac":
            uid = str(os.getuid()) if hasattr(os, "getuid") else "0"
            done = self._tool("launchctl", "print", f"gui/{uid}/{files.LABEL}")
        else:
            done = self._tool("schtasks", "/Query", "/TN", files.TASK_NAME)
        return Status(True, done.returncode == 0, paths, (done.stderr or "").strip()[:200])
