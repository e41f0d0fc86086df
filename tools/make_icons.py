"""Draw ShopLine's icon with Qt and write resources/icons/shopline.png, .ico and .icns.

    python tools/make_icons.py

A LINE-green rounded square with a white speech bubble holding a small shop front.
Every size is drawn from the vector shapes (no text, so no font can change it), and
the .ico and .icns containers are written here with PNG entries, which Windows
Vista+ and macOS 10.7+ read, so no Pillow or iconutil is needed. The outputs are
committed; rerun this only when the design changes.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath  # noqa: E402

GREEN = QColor("#06C755")  # LINE's brand green
WHITE = QColor("#FFFFFF")
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's icns types for PNG data: (type, pixel size); the @2x types reuse the larger pixels.
ICNS_TYPES = (("icp4", 16), ("icp5", 32), ("ic11", 32), ("icp6", 64), ("ic12", 64), ("ic07", 128),
              ("ic08", 256), ("ic13", 256), ("ic09", 512), ("ic14", 512), ("ic10", 1024))


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 100, size / 100)  # draw on a 100x100 grid
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(GREEN)
    p.drawRoundedRect(QRectF(4, 4, 92, 92), 22, 22)

    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(16, 18, 68, 54), 20, 20)
    tail = QPainterPath()
    tail.moveTo(QPointF(30, 66))
    tail.lineTo(QPointF(24, 84))
    tail.lineTo(QPointF(46, 70))
    tail.closeSubpath()
    p.setBrush(WHITE)
    p.drawPath(bubble.united(tail))

    # The shop front in green: a scalloped awning over a body with a door.
    p.setBrush(GREEN)
    p.drawRect(QRectF(32, 30, 36, 6))
    for i in range(4):
        p.drawPie(QRectF(32 + 9 * i, 31.5, 9, 9), 180 * 16, 180 * 16)
    p.drawRect(QRectF(35, 42, 30, 19))
    p.setBrush(WHITE)
    p.drawRect(QRectF(39, 47, 9, 14))  # the door
    p.drawRect(QRectF(52, 47, 9, 7))  # the window
    p.end()
    return image


def png(size: int) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    draw(size).save(buffer, "PNG")
    return bytes(data.data())


def ico(sizes: tuple[int, ...]) -> bytes:
    images = [png(s) for s in sizes]
    offset = 6 + 16 * len(images)
    header = struct.pack("<HHH", 0, 1, len(images))
    entries = b""
    for size, data in zip(sizes, images, strict=True):
        side = size if size < 256 else 0  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(images)


def icns(types: tuple[tuple[str, int], ...]) -> bytes:
    chunks = b"".join(kind.encode("ascii") + struct.pack(">I", 8 + len(d)) + d
                      for kind, d in ((kind, png(size)) for kind, size in types))
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "shopline.png").write_bytes(png(512))
    (OUT / "shopline.ico").write_bytes(ico(ICO_SIZES))
    (OUT / "shopline.icns").write_bytes(icns(ICNS_TYPES))
    for name in ("shopline.png", "shopline.ico", "shopline.icns"):
        print(f"wrote {(OUT / name).relative_to(ROOT)} ({(OUT / name).stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
