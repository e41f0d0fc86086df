"""The job's files, as text, for each platform's conventions (pure: no file is written here)."""

from __future__ import annotations

import plistlib
from collections.abc import Sequence
from xml.sax.saxutils import escape

NAME = "shopline-run-due"
LABEL = "jp.shopline.run-due"  # LaunchAgent label
TASK_NAME = "ShopLine\\RunDue"
EVERY_MINUTES = 5
TASK_NS = "http://schemas.microsoft.com/windows/2004/02/mit/task"


def _systemd_quote(arg: str) -> str:
    # systemd splits ExecStart like a shell but expands % specifiers: both need escaping.
    arg = arg.replace("%", "%%")
    if arg and not any(c in arg for c in ' \t"\'\\;$'):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_service(command: Sequence[str]) -> str:
    return (
        "[Unit]\n"
        "Description=ShopLine: send due step deliveries and scheduled sends\n"
        "After=network-online.target\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={' '.join(_systemd_quote(a) for a in command)}\n"
        "Nice=5\n"
    )


def systemd_timer() -> str:
    return (
        "[Unit]\n"
        f"Description=Run ShopLine's due automations every {EVERY_MINUTES} minutes\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar=*:0/{EVERY_MINUTES}\n"
        "Persistent=true\n"  # after sleep or a power-off, one run at once catches up
        f"Unit={NAME}.service\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )


def launch_agent(command: Sequence[str], log: str) -> bytes:
    return plistlib.dumps({
        "Label": LABEL,
        "ProgramArguments": list(command),
        "StartInterval": EVERY_MINUTES * 60,
        "RunAtLoad": True,
        "ProcessType": "Background",
        "StandardOutPath": log,
        "StandardErrorPath": log,
    })


def task_xml(command: Sequence[str], start: str, author: str = "ShopLine") -> str:
    """A Task Scheduler 1.2 task: every 5 minutes from `start` (YYYY-MM-DDTHH:MM:SS), as the user, only
    when logged on, never two at once. schtasks wants it written as UTF-16."""
    program, *args = command
    arguments = " ".join(f'"{a}"' if " " in a else a for a in args)
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="{TASK_NS}">
  <RegistrationInfo>
    <Author>{escape(author)}</Author>
    <Description>ShopLine: send due step deliveries and scheduled sends</Description>
    <URI>\\{escape(TASK_NAME)}</URI>
  </RegistrationInfo>
  <Triggers>
    <TimeTrigger>
      <Repetition>
        <Interval>PT{EVERY_MINUTES}M</Interval>
        <StopAtDurationEnd>false</StopAtDurationEnd>
      </Repetition>
      <StartBoundary>{escape(start)}</StartBoundary>
      <Enabled>true</Enabled>
    </TimeTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <ExecutionTimeLimit>PT1H</ExecutionTimeLimit>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{escape(program)}</Command>
      <Arguments>{escape(arguments)}</Arguments>
    </Exec>
  </Actions>
</Task>
"""
