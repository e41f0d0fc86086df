"""What PyInstaller leaves out, shared by build.spec and bench/bench_bundle.py's bare PySide6 build,
so the bench compares the app with a hello-world frozen under the very same options."""

from __future__ import annotations

import sys
from pathlib import PurePath

# Nothing in ShopLine imports these; excluding them keeps a stray import (or a hook) from pulling
# in hundreds of MB of Qt. The app itself uses QtCore, QtGui, QtWidgets and QtCharts (効果測定 and 購買),
# which needs Qt's OpenGL libraries underneath but not their Python modules (8.9 MB): a chart is drawn with
# PySide6.QtOpenGL and QtOpenGLWidgets unimportable, and the bundle's self-test draws both pages' charts.
QT_EXCLUDES = [
    f"PySide6.{name}"
    for name in (
        "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtAxContainer",
        "QtBluetooth", "QtConcurrent", "QtDataVisualization", "QtDesigner", "QtGraphs",
        "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets",
        "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning",
        "QtPrintSupport", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickWidgets",
        "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql",
        "QtStateMachine", "QtSvg", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel",
        "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
    )
]
# Plugins for developer tools that line-bot-sdk's dependencies carry: pydantic's hook collects its mypy and
# hypothesis plugins, and python-dotenv has an IPython extension. They drag in mypy, hypothesis, pytest,
# IPython, jedi and numpy (~150 MB) and are loaded only by those tools, never by the app.
DEV_TOOL_PLUGINS = ["pydantic.mypy", "pydantic.v1.mypy", "pydantic._hypothesis_plugin",
                    "pydantic.v1._hypothesis_plugin", "dotenv.ipython"]
# line-bot-sdk's async client (aiohttp) sends personal campaigns' pushes (shopline/line/async_client.py), so the
# C speedups of aiohttp, its helpers and asyncio stay: without them each falls back to pure Python and a push costs
# far more CPU. Only aiohttp's websocket reader goes: nothing opens a websocket.
ASYNC_SPEEDUPS = ["aiohttp._websocket.reader_c"]
# The reverse case: decimal's pure-Python twin, imported only where the C _decimal is missing.
FALLBACKS = ["_pydecimal"]
# Reached only through imports the app never runs: CPython's test suite (python-future, used by
# line-bot-sdk's legacy API, tries it; it pulls in distutils, setuptools and pkg_resources) and XML-RPC
# (multiprocessing's XML listener imports it inside a function; it pulls in the expat parser).
UNREACHED = ["test", "xmlrpc", "tkinter"]
# Debug symbols of the native modules wheels ship unstripped (pyroaring's 8.9 MB is 1.1 MB without them,
# cryptography's and aiohttp's shrink too); Qt's own libraries come stripped. Linux only: stripping breaks a
# macOS signature, and Windows DLLs carry their symbols elsewhere.
STRIP = sys.platform.startswith("linux")
EXCLUDES = [*QT_EXCLUDES, *DEV_TOOL_PLUGINS, *ASYNC_SPEEDUPS, *FALLBACKS, *UNREACHED]

# PyInstaller's Qt hook collects Qt's own translations in every language; the app speaks these.
QT_LANGUAGES = ("ja", "en")


def keep_data(dest: str) -> bool:
    """False for Qt translation files in languages the app does not offer."""
    path = PurePath(dest)
    if path.suffix != ".qm" or path.parent.name != "translations" or "PySide6" not in path.parts:
        return True
    return path.stem.rsplit("_", 1)[-1] in QT_LANGUAGES
