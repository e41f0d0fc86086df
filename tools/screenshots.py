"""Screenshots of the real window for the README, taken under Xvfb with a CJK font.

    python tools/screenshots.py     # re-runs itself inside xvfb-run when there is no display

Writes docs/screenshots/welcome.png, friends.png, tags.png, segments.png, import.png, messages.png,
results.png, trend.png and purchases.png at 1280×800, and friends-1024.png, segments-1024.png, messages-1024.png and
scenarios-1024.png at 1024×700 (a small laptop), from a demo shop made in a temporary data folder the way
the demo's own window makes it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 800
SMALL = 1024, 700  # the smallest screen every page must fit


def rerun_under_xvfb() -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {WIDTH}x{HEIGHT}x24", sys.executable, __file__]
    return subprocess.run(command, env=env, check=False).returncode


def shoot_builder(window, wait_for) -> None:
    """The builder with a nested segment, made by the same undo commands a drop makes, and its live count."""
    from shopline.core.segments import parse
    from shopline.ui.segment_builder.commands import ReplaceTree
    from shopline.ui.segment_builder.model import root_from_node

    page = window.segments
    window.nav.setCurrentRow(window.pages.indexOf(page))
    wait_for(page.tag_palette.loaded, 10_000)
    tree = parse("(VIP OR 常連) AND NOT (休眠 OR スタッフ) AND gender = female AND age >= 30")
    page.stack.push(ReplaceTree(page.model, root_from_node(tree)))
    page.name.setEditText("30代以上の女性の常連")
    wait_for(page.count.counted, 10_000)


def shoot_import(window, wait_for, folder: Path, save_widget) -> None:
    """The import dialog's preview of a Shift_JIS file with Japanese headers, as Excel saves it."""
    from shopline.demo import write_demo_csv
    from shopline.ui.import_dialog import ImportDialog

    path = write_demo_csv(folder / "顧客リスト.csv", 30, seed=7, encoding="cp932")
    dialog = ImportDialog(window)
    dialog.resize(1100, 560)
    dialog.show()
    dialog.load(path)
    wait_for(dialog.import_button.clicked, 2_500)  # never clicked: just lets the preview arrive
    save_widget(dialog, "import")
    dialog.close()


def shoot_messages(window, wait_for) -> None:
    """The composer: three bubbles, a segment chosen, and the estimate against the month's plan."""
    from shopline.core.drafts import Draft, StickerBubble, TextBubble

    page = window.page_at(3)
    window.nav.setCurrentRow(3)
    page.doc.replace(Draft((
        TextBubble("【春の新作】桜あんぱんが今日から並びます。\nLINEを見せると10%オフです。"),
        StickerBubble("11537", "52002734"),
        TextBubble("ご来店をお待ちしております。"),
    )))
    page.target.choose_text("(VIP OR 常連) AND NOT 休眠")
    wait_for(page.estimate.estimated, 10_000)


def _nav_row(window, title: str) -> int | None:
    return next((i for i in range(window.nav.count()) if window.nav.item(i).text() == title), None)


def shoot() -> int:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from shopline.store import close_store, open_store
    from shopline.ui import app, operations
    from shopline.ui.main_window import MainWindow

    def wait_for(signal, timeout_ms: int = 60_000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()

    def settle(ms: int = 300) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def save(window, name: str) -> None:
        settle()
        path = OUT / f"{name}.png"
        window.grab().save(str(path))
        print(f"wrote {path.relative_to(ROOT)}")

    qapp = QApplication([sys.argv[0]])
    app.install_translations(qapp, "ja")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        open_store(tmp)
        window = MainWindow(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        window.setGeometry(0, 0, WIDTH, HEIGHT)
        window.show()
        window.start()
        wait_for(window.friends.model.loaded)
        save(window, "welcome")

        window.friends.welcome.fill_with_demo_if_empty()  # what `ShopLine --demo` does in its own folder
        wait_for(window.friends.model.loaded)
        wait_for(window.friends.tags.loaded, 5_000)
        window.friends.select_row(2)
        save(window, "friends")

        window.nav.setCurrentRow(1)
        save(window, "tags")

        shoot_builder(window, wait_for)
        save(window, "segments")

        shoot_import(window, wait_for, Path(tmp), save)

        shoot_messages(window, wait_for)
        save(window, "messages")

        from results_shots import shoot_results  # tools/: results.png and trend.png, on seeded figures

        shoot_results(window, wait_for, save)

        purchases = _nav_row(window, "購買")
        if purchases is not None:  # the RFM chart over the demo's purchases
            window.nav.setCurrentRow(purchases)
            settle(1_000)
            save(window, "purchases")

        window.setGeometry(0, 0, *SMALL)
        for row, name in ((0, "friends"), (2, "segments"), (3, "messages")):
            window.nav.setCurrentRow(row)
            if name == "messages":  # the estimate counts again at the new size: wait for its figures
                window.page_at(3).estimate.refresh()
                wait_for(window.page_at(3).estimate.estimated, 10_000)
            save(window, f"{name}-1024")
        scenarios = _nav_row(window, "シナリオ")
        if scenarios is not None:
            window.nav.setCurrentRow(scenarios)
            settle(1_000)
            page = window.pages.currentWidget()
            if page.list.count():  # the demo's sample scenario, opened in the editor
                page.list.setCurrentRow(0)
                settle(1_000)
            save(window, "scenarios-1024")
        window.close()
        operations.wait_idle()
        close_store()
    return 0


if __name__ == "__main__":
    if not os.environ.get("DISPLAY"):
        raise SystemExit(rerun_under_xvfb())
    raise SystemExit(shoot())
