"""設定's switch for the per-user OS job that runs `shopline run-due` every 5 minutes while the window is
closed: the same Installer as `shopline schedule install | remove | status`, run off the UI thread (it calls
systemctl, launchctl or schtasks), its status said in a sentence under the box."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from shopline.core.messages import ShopLineError
from shopline.schedule.install import Installer, Status
from shopline.ui.operations import Latest, Operation, show_error


def _installer() -> Installer:
    from shopline.store.connection import data_folder

    return Installer(data_folder().resolve())


# Tests point this at an Installer writing under a tmp folder with recorded tools.
installer_factory: Callable[[], Installer] = _installer


class AutoRunSwitch(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox(self.tr("Send scheduled and scenario messages even when ShopLine is closed"), self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #616161;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.status)
        self._latest = Latest()
        self.box.clicked.connect(self._clicked)  # the shop's click only, not our own setChecked
        self.read()

    def read(self) -> None:
        self._run(lambda: installer_factory().status())

    def _clicked(self, on: bool) -> None:
        self.box.setEnabled(False)
        self._run(lambda: installer_factory().install() if on else installer_factory().remove())

    def _run(self, work: Callable[[], Status]) -> None:
        Operation(self, lambda _ctx: work(), success=self._latest(self._show)).failure(self._refused).run()

    def _show(self, status: Status) -> None:
        self.box.setEnabled(True)
        self.box.setChecked(status.installed)
        self.status.setText(str(status.text()))

    def _refused(self, exc: BaseException) -> None:
        self.box.setEnabled(True)
        if not isinstance(exc, ShopLineError):
            show_error(self, exc)
            return
        message = str(exc)
        self._latest.forget()
        # The files may be there though the tool refused them: show what is really installed, then why.

        def shown(status: Status) -> None:
            self._show(status)
            self.status.setText(message)
        Operation(self, lambda _ctx: installer_factory().status(), success=shown) \
            .failure(lambda _e: self.status.setText(message)).run()
