"""The Messages page: who receives it, the bubbles and their editors, the phone preview, the estimate, 送信…"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shopline.core.changes import Changes
from shopline.core.drafts import CouponBubble, Draft, ImageBubble, StickerBubble, TextBubble, to_line
from shopline.core.estimate import Status
from shopline.core.placeholders import missing, parse, preview
from shopline.ui.change_bus import Follow
from shopline.ui.composer.bubble_list import BubbleList
from shopline.ui.composer.coupon_editor import CouponEditor
from shopline.ui.composer.document import DraftDocument
from shopline.ui.composer.editor_base import ERROR_STYLE, BubbleEditor
from shopline.ui.composer.estimate_panel import Answer, EstimatePanel
from shopline.ui.composer.image_editor import ImageEditor
from shopline.ui.composer.line_check import LineCheck
from shopline.ui.composer.phone_preview import PhonePreview
from shopline.ui.composer.preview_as import PreviewAs
from shopline.ui.composer.sticker_picker import StickerPicker
from shopline.ui.composer.target_chooser import TargetChooser
from shopline.ui.composer.templates import TemplatesPanel
from shopline.ui.composer.text_editor import TextEditor
from shopline.ui.operations import Latest, Operation


def _page_data() -> tuple[list[str], str, list[str]]:
    from shopline.secrets import connected_channel
    from shopline.store.models import Field
    from shopline.store.segments import list_segments

    channel = connected_channel()
    fields = [name for (name,) in Field.select(Field.name).order_by(Field.position, Field.name).tuples()]
    return [s.name for s in list_segments()], channel.display_name if channel else "", fields


# What the estimate counts and prices: who is in the segment, the month's sends, the plan.
ESTIMATE_READS = Changes(friends=True, tags=True, fields=True, purchases=True, campaigns=True, settings=True)


class MessagesPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._latest = Latest()  # overlapping reloads: the newest answer wins
        self.doc = DraftDocument(self)
        self.target = TargetChooser(self)
        self.bubbles = BubbleList(self.doc, self)
        self.editors: dict[type, BubbleEditor] = {
            TextBubble: TextEditor(self), ImageBubble: ImageEditor(self),
            StickerBubble: StickerPicker(self), CouponBubble: CouponEditor(self)}
        self.editor_stack = QStackedWidget(self)
        hint = QLabel(self.tr("Add a bubble, or choose one in the list to edit it."), self)
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.editor_stack.addWidget(hint)
        for editor in self.editors.values():
            self.editor_stack.addWidget(editor)
            editor.edited.connect(self._edited)
        self.preview = PhonePreview(self)
        self.preview_as = PreviewAs(self)
        self.estimate = EstimatePanel(self)
        self.line_check = LineCheck(self)
        self.templates = TemplatesPanel(lambda: self.doc.draft, self)
        self.send_button = QPushButton(self.tr("Send…"), self)
        self.abtest_button = QPushButton(self.tr("A/B test…"), self)
        self.send_reason = QLabel(self)
        self.send_reason.setWordWrap(True)
        self.send_reason.setStyleSheet(ERROR_STYLE)
        self._row = -1
        self._keys: set[str] = set()
        self._build()
        self.doc.changed.connect(self._draft_changed)
        self.bubbles.current_changed.connect(self._current_changed)
        self.editors[ImageBubble].thumbnail_ready.connect(self.preview.set_image)  # type: ignore[attr-defined]
        self.templates.use_requested.connect(self.doc.replace)
        self.target.changed.connect(lambda: self.estimate.request(self.target.resolver()))
        self.target.changed.connect(lambda: self.preview_as.set_source(self.target.resolver(), self._texts))
        self.preview_as.changed.connect(self._draft_changed)
        self.estimate.estimated.connect(lambda _answer: self._update_send())
        self.line_check.checked.connect(self._update_send)
        self.send_button.clicked.connect(self.send)
        self.abtest_button.clicked.connect(self.ab_test)
        for action, keys in ((self.doc.undo_stack.createUndoAction(self), QKeySequence.StandardKey.Undo),
                             (self.doc.undo_stack.createRedoAction(self), QKeySequence.StandardKey.Redo)):
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self._draft_changed()

    def _build(self) -> None:
        middle = QWidget(self)
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.bubbles, 1)
        # An editor taller than the column (the image editor on a 700-pixel screen) scrolls rather than
        # having its fields laid over one another.
        editor_scroll = QScrollArea(self)
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        editor_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        editor_scroll.setWidget(self.editor_stack)
        column.addWidget(editor_scroll, 2)
        # The phone above, the estimate below in its own vertical scroll: on a 700-pixel screen the
        # two never fit at full height, and squeezing them into one column laid one over the other.
        estimate_scroll = QScrollArea(self)
        estimate_scroll.setWidgetResizable(True)
        estimate_scroll.setFrameShape(QFrame.Shape.NoFrame)
        estimate_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        estimate_scroll.setWidget(self.estimate)
        estimate_scroll.setMinimumHeight(120)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.setChildrenCollapsible(False)
        phone = QWidget(self)
        phone_column = QVBoxLayout(phone)
        phone_column.setContentsMargins(0, 0, 0, 0)
        phone_column.addWidget(self.preview_as)
        phone_column.addWidget(self.preview, 1)
        right.addWidget(phone)
        right.addWidget(estimate_scroll)
        right.setStretchFactor(0, 1)  # a taller window goes to the phone; the estimate scrolls
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for widget in (self.templates, middle, right):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([180, 400, 300])
        content = QWidget(self)
        inner = QVBoxLayout(content)
        inner.addWidget(self.target)
        inner.addWidget(self.splitter, 1)
        # Scrolls on a small screen instead of forcing the whole window to the page's full size;
        # 送信… and its reason stay outside, always in view.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        bottom = QHBoxLayout()
        bottom.addWidget(self.send_reason, 1)
        bottom.addWidget(self.abtest_button)
        bottom.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 6)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        # Loaded once when built (the page is built when first opened), then kept current by the change bus.
        self.follow = Follow(self, Changes(segments=True, templates=True) | ESTIMATE_READS, self._data_changed)
        self.reload()

    def _data_changed(self, changes: Changes, initiator: object | None) -> None:
        if changes.touches(Changes(segments=True, settings=True, fields=True)):
            self.reload()  # the saved segments to choose from, and the shop's name on the phone
        elif changes.templates and initiator is not self.templates:  # it lists again itself, keeping its choice
            self.templates.reload()
        if changes.touches(ESTIMATE_READS):
            self.estimate.refresh()

    def reload(self) -> None:
        Operation(self, lambda _ctx: _page_data(), success=self._latest(self._loaded)).run()
        self.templates.reload()

    def _loaded(self, data: tuple[list[str], str, list[str]]) -> None:
        segments, shop, fields = data
        self.target.set_segments(segments)
        self.preview.set_shop(shop)
        self.doc.set_fields(fields)
        self.editors[TextBubble].set_fields(fields)  # type: ignore[attr-defined]

    def _texts(self) -> list[dict[str, str]]:
        return [{"type": "text", "text": b.text} for b in self.doc.draft.bubbles if isinstance(b, TextBubble)]

    def shown_draft(self) -> Draft:
        """The draft as the phone shows it: as written, or as the friend chosen under "preview as" sees it."""
        values = self.preview_as.values
        if values is None:
            return self.doc.draft
        return Draft(tuple(TextBubble(preview(b.text, values)) if isinstance(b, TextBubble) else b
                           for b in self.doc.draft.bubbles))

    def current_editor(self) -> BubbleEditor | None:
        widget = self.editor_stack.currentWidget()
        return widget if isinstance(widget, BubbleEditor) else None

    def _current_changed(self, row: int) -> None:
        self._row = row
        self._show_editor()

    def _show_editor(self) -> None:
        bubbles = self.doc.draft.bubbles
        if not 0 <= self._row < len(bubbles):
            self.editor_stack.setCurrentIndex(0)
            return
        editor = self.editors[type(bubbles[self._row])]
        self.editor_stack.setCurrentWidget(editor)
        editor.set_bubble(bubbles[self._row])
        editor.show_problems([str(p) for p in self.doc.problems_at(self._row)])

    def _edited(self, bubble: object) -> None:
        bubbles = self.doc.draft.bubbles
        # An editor still on screen for a bubble of another type (mid-switch) must not overwrite it.
        if 0 <= self._row < len(bubbles) and type(bubbles[self._row]) is type(bubble):
            self.doc.edit(self._row, bubble)  # type: ignore[arg-type]

    def _draft_changed(self) -> None:
        problems = self.doc.problems()
        self.preview.set_draft(self.shown_draft(), {p.bubble_index for p in problems if p.bubble_index is not None})
        keys = {p.key for t in self._texts() for p in parse(t["text"]).placeholders}
        if keys != self._keys:  # new placeholders: the chosen friend's values for them are read
            self._keys = keys
            self.preview_as.refresh()
        values = self.preview_as.values
        self.preview_as.set_missing([] if values is None else list(dict.fromkeys(
            p.label for t in self._texts() for p in missing(parse(t["text"]), values))))
        self._show_editor()
        self.line_check.request(None if problems else to_line(self.doc.draft))
        self._update_send()

    def send_blocked_reason(self) -> str:
        """Why 送信… is disabled now; empty when it may be pressed."""
        problems = self.doc.problems()
        if problems:
            first = problems[0]
            where = "" if first.bubble_index is None else self.tr("Bubble {}: ").format(first.bubble_index + 1)
            return where + str(first.reason)
        if self.line_check.rejection:
            return self.line_check.rejection
        answer: Answer | None = self.estimate.answer
        if answer is None:
            return (self.tr("Choose who receives the message.") if self.target.resolver() is None
                    else self.tr("Waiting for the estimate…"))
        if answer.estimate.status == Status.BLOCKED:
            return self.tr("This month's limit cannot take this send: see the estimate for what you can do.")
        return ""

    def _update_send(self) -> None:
        reason = self.send_blocked_reason()
        self.send_button.setEnabled(not reason)
        self.send_button.setToolTip(reason)
        self.abtest_button.setEnabled(not reason)
        self.send_reason.setText(reason)

    def send(self) -> None:
        answer = self.estimate.answer
        if self.send_blocked_reason() or answer is None:
            return
        from shopline.ui.delivery.send_dialog import SendDialog  # the delivery pages load only when used

        dialog = SendDialog(self, self.default_campaign_name(), answer.tree, to_line(self.doc.draft),
                            segment_text=self.target.segment_text())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.connect_requested.connect(self._open_channel_settings)
        dialog.open()

    def ab_test(self) -> None:
        """This message against templates, split at random (shopline/ui/abtest)."""
        answer = self.estimate.answer
        if self.send_blocked_reason() or answer is None:
            return
        from shopline.ui.abtest import ABTestDialog

        dialog = ABTestDialog(self, self.default_campaign_name()[:60], answer.tree, to_line(self.doc.draft),
                              segment_text=self.target.segment_text())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def default_campaign_name(self) -> str:
        """The day and the message's first line (「2026-12-01 春のセール」); the shop may change it."""
        first = next((line.strip() for b in self.doc.draft.bubbles if isinstance(b, TextBubble)
                      for line in b.text.splitlines() if line.strip()), "") or self.target.label()
        return f"{dt.date.today():%Y-%m-%d} {first[:40]}".strip()

    def _open_channel_settings(self) -> None:
        window = self.window()
        if hasattr(window, "show_channel_settings"):  # the main window; a page shown alone has none
            window.show_channel_settings()
