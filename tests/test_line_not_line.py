"""A 200 whose body is not LINE's (a captive portal's login page) is a sentence, never a traceback."""

from __future__ import annotations

import pytest
from delivery_helpers import MSG, TOKEN, VIP, shop

from shopline import cli
from shopline.delivery import service
from shopline.line import errors
from shopline.line.config import LineClient
from shopline.line.multicast import multicast
from shopline.store.campaign_models import Batch

PORTAL = "<html><head><title>Free Wi-Fi</title></head><body>ログインしてください</body></html>".encode()
SENTENCE = "LINEではない応答が返りました"


def _portal(fake, pattern=r"/v2/bot/"):
    fake.fault(pattern, status=200, raw=PORTAL, times=None)


@pytest.mark.parametrize("command", [["connect"], ["sync"], ["quota"]])
def test_cli_explains_a_captive_portal(store, fake_line, monkeypatch, capsys, memory_keyring, command):
    monkeypatch.setattr(cli, "COMMAND_MODULES", ["shopline.cli.cmd_connect", "shopline.cli.cmd_sync",
                                                 "shopline.cli.cmd_quota"])
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(TOKEN))
    _portal(fake_line)
    code = cli.main(command)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "ValidationError" not in out + err
    assert SENTENCE in out + err
    if command != ["quota"]:  # quota shows the remembered figures with the reason; the others fail
        assert code != 0


def test_the_error_is_typed_and_not_retried(fake_line):
    _portal(fake_line, r"GET /v2/bot/info")
    from shopline.line.bot_info import get_bot_info

    with LineClient(TOKEN) as client, pytest.raises(errors.NotLineAnswer) as caught:
        get_bot_info(client)
    assert not caught.value.retryable and caught.value.__context__ is None
    assert "Wi-Fi" in caught.value.text.en


def test_a_portal_answering_multicast_is_not_taken_as_accepted(fake_line):
    _portal(fake_line, r"POST /v2/bot/message/multicast")
    with LineClient(TOKEN) as client, pytest.raises(errors.NotLineAnswer):
        multicast(client, ["U" + "a" * 32], MSG, retry_key="8f3c2a50-0d6e-4d1e-9a8b-3f1f3c1d2e4f", unit="sl_x")


def test_send_behind_a_portal_pauses_and_keeps_everyone_pending(store, fake_line):
    shop(600)
    prepared = service.prepare_send("春", VIP, MSG, token=TOKEN)
    _portal(fake_line, r"POST /v2/bot/message/multicast")
    result = service.send(prepared.campaign, TOKEN)
    assert (result.status, result.delivered, result.pending) == ("paused", 0, 600)
    assert Batch.select().where(Batch.status == "accepted").count() == 0
    fake_line.faults.clear()
    assert service.resume("春", TOKEN).status == "done"
    assert len(fake_line.delivered) == 600
