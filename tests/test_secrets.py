"""The token in the keyring (in-memory backend here), the connected channel in Setting, and the CLI."""

from __future__ import annotations

import io

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail

from shopline import cli, secrets
from shopline.line.errors import LineAuthError
from shopline.store.models import Setting

MINE = ["shopline.cli.cmd_connect", "shopline.cli.cmd_sync"]


class LockedKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service, username, password):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


@pytest.fixture
def backend(request):
    previous = keyring.get_keyring()
    keyring.set_keyring(request.param())
    yield
    keyring.set_keyring(previous)


def test_store_load_delete(memory_keyring):
    secrets.store_token("Uchan", "tok-1")
    assert memory_keyring.entries == {("ShopLine", "Uchan"): "tok-1"}
    assert secrets.load_token("Uchan") == "tok-1"
    secrets.delete_token("Uchan")
    secrets.delete_token("Uchan")  # already gone: fine
    assert secrets.load_token("Uchan") is None


@pytest.mark.parametrize("backend", [fail.Keyring, LockedKeyring], indirect=True)
def test_unusable_keyring_explains_what_to_do(backend):
    with pytest.raises(secrets.KeyringUnavailable) as caught:
        secrets.store_token("Uchan", "tok-1")
    text = caught.value.text
    assert "ロックを解除" in text.ja and "Secret Service" in text.ja and "SHOPLINE_CHANNEL_TOKEN" in text.ja
    assert "unlock" in text.en and "never saved to a plain file" in text.en
    assert "tok-1" not in text.ja + text.en
    with pytest.raises(secrets.KeyringUnavailable):
        secrets.load_token("Uchan")


def test_connect_check_replace_disconnect(store, fake_line, memory_keyring):
    info = secrets.connect(f"  {fake_line.token}\n")
    bot = fake_line.bot["userId"]
    assert (info.basic_id, info.display_name) == ("@123abcde", "テスト商店")
    assert memory_keyring.entries == {("ShopLine", bot): fake_line.token}
    assert secrets.connected_channel() == secrets.ConnectedChannel(bot, "@123abcde", "テスト商店")
    assert fake_line.token not in "".join(s.value for s in Setting.select())
    assert secrets.channel_token() == fake_line.token

    fake_line.bot = fake_line.bot | {"userId": "U" + "e" * 32, "basicId": "@other"}
    secrets.connect(fake_line.token)
    assert list(memory_keyring.entries) == [("ShopLine", "U" + "e" * 32)]  # the old channel's entry is gone

    assert secrets.disconnect().basic_id == "@other"
    assert memory_keyring.entries == {} and secrets.connected_channel() is None
    assert secrets.disconnect() is None
    with pytest.raises(secrets.NotConnected):
        secrets.channel_token()


def test_wrong_token_is_not_stored(store, fake_line, memory_keyring):
    with pytest.raises(LineAuthError):
        secrets.connect("wrong-token")
    assert memory_keyring.entries == {} and secrets.connected_channel() is None


def test_environment_overrides_keyring(store, fake_line, memory_keyring, monkeypatch):
    secrets.connect(fake_line.token)
    monkeypatch.setenv(secrets.TOKEN_ENV, "from-env")
    assert secrets.channel_token() == "from-env"


@pytest.mark.parametrize("backend", [fail.Keyring], indirect=True)
def test_environment_works_without_keyring(store, backend, monkeypatch):
    monkeypatch.setenv(secrets.TOKEN_ENV, "from-env")
    assert secrets.channel_token() == "from-env"


def test_cli_connect_and_disconnect(store, fake_line, memory_keyring, monkeypatch, capsys):
    monkeypatch.setattr(cli, "COMMAND_MODULES", MINE)
    monkeypatch.setattr("sys.stdin", io.StringIO(fake_line.token + "\n"))
    assert cli.main(["connect"]) == 0
    out = capsys.readouterr()
    assert "テスト商店 (@123abcde)" in out.out and fake_line.token not in out.out + out.err
    assert len(memory_keyring.entries) == 1
    assert cli.main(["disconnect"]) == 0
    assert "接続を解除しました" in capsys.readouterr().out
    assert memory_keyring.entries == {}


@pytest.mark.parametrize("backend", [fail.Keyring], indirect=True)
def test_cli_connect_without_keyring(store, fake_line, backend, monkeypatch, capsys):
    monkeypatch.setattr(cli, "COMMAND_MODULES", MINE)
    monkeypatch.setattr("sys.stdin", io.StringIO(fake_line.token))
    assert cli.main(["connect"]) == 2
    err = capsys.readouterr().err
    assert "キーリング" in err and fake_line.token not in err
    assert secrets.connected_channel() is None


def test_cli_connect_empty_input(store, monkeypatch, capsys):
    monkeypatch.setattr(cli, "COMMAND_MODULES", MINE)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert cli.main(["connect"]) == 2
    assert "トークンが入力されていません" in capsys.readouterr().err


# --- file keyrings (keyrings.alt, installed on many Debian machines) -------------------------------


def _plaintext(tmp_path):
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")  # not the real ~/.local/share/python_keyring
    return backend


def _encrypted():
    from keyrings.alt.file import EncryptedKeyring

    # Built without __init__, which needs pycryptodome: only its kind matters, and it must never be asked.
    return EncryptedKeyring.__new__(EncryptedKeyring)


@pytest.fixture
def use_keyring():
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def test_plaintext_file_keyring_is_refused(store, fake_line, tmp_path, use_keyring, monkeypatch):
    monkeypatch.delenv(secrets.ALLOW_FILE_ENV, raising=False)
    backend = _plaintext(tmp_path)
    use_keyring(backend)
    with pytest.raises(secrets.KeyringUnavailable) as caught:
        secrets.connect(fake_line.token)
    assert not (tmp_path / "keyring_pass.cfg").exists()
    assert secrets.connected_channel() is None
    text = caught.value.text
    assert "PlaintextKeyring" in text.en and secrets.ALLOW_FILE_ENV + "=1" in text.ja + text.en
    assert fake_line.token not in text.ja + text.en
    with pytest.raises(secrets.KeyringUnavailable):
        secrets.load_token("Uchan")


def test_encrypted_file_keyring_and_null_are_refused(use_keyring, monkeypatch):
    from keyring.backends import null

    monkeypatch.delenv(secrets.ALLOW_FILE_ENV, raising=False)
    for backend in (_encrypted(), null.Keyring()):
        use_keyring(backend)
        with pytest.raises(secrets.KeyringUnavailable):
            secrets.store_token("Uchan", "tok-1")


def test_a_chainer_of_file_and_fail_keyrings_is_refused(tmp_path, use_keyring, monkeypatch):
    from keyring.backends.chainer import ChainerBackend

    members = [_plaintext(tmp_path), fail.Keyring()]
    monkeypatch.setattr(ChainerBackend, "backends", members)
    use_keyring(ChainerBackend())
    with pytest.raises(secrets.KeyringUnavailable) as caught:
        secrets.store_token("Uchan", "tok-1")
    assert "PlaintextKeyring" in caught.value.text.en
    assert not (tmp_path / "keyring_pass.cfg").exists()


def test_a_chainer_uses_only_its_safe_member(tmp_path, memory_keyring, use_keyring, monkeypatch):
    from keyring.backends.chainer import ChainerBackend

    plain = _plaintext(tmp_path)
    # The file keyring first: a plain chainer would write the token there.
    monkeypatch.setattr(ChainerBackend, "backends", [plain, memory_keyring])
    use_keyring(ChainerBackend())
    secrets.store_token("Uchan", "tok-1")
    assert memory_keyring.entries == {("ShopLine", "Uchan"): "tok-1"}
    assert not (tmp_path / "keyring_pass.cfg").exists()
    assert secrets.load_token("Uchan") == "tok-1"
    secrets.delete_token("Uchan")
    assert memory_keyring.entries == {}


def test_a_file_keyring_is_used_when_the_shop_opts_in(store, fake_line, tmp_path, use_keyring, monkeypatch):
    monkeypatch.setenv(secrets.ALLOW_FILE_ENV, "1")
    use_keyring(_plaintext(tmp_path))
    secrets.connect(fake_line.token)
    assert (tmp_path / "keyring_pass.cfg").exists()
    assert secrets.channel_token() == fake_line.token
    secrets.disconnect()
    assert secrets.load_token(fake_line.bot["userId"]) is None


def test_cli_connect_with_a_file_keyring_fails_and_says_so(store, fake_line, tmp_path, use_keyring, monkeypatch,
                                                         capsys):
    monkeypatch.delenv(secrets.ALLOW_FILE_ENV, raising=False)
    monkeypatch.setattr(cli, "COMMAND_MODULES", MINE)
    monkeypatch.setattr("sys.stdin", io.StringIO(fake_line.token))
    use_keyring(_plaintext(tmp_path))
    assert cli.main(["connect"]) == 2
    out = capsys.readouterr()
    assert "接続しました" not in out.out and secrets.ALLOW_FILE_ENV in out.err
    assert not (tmp_path / "keyring_pass.cfg").exists()


@pytest.mark.parametrize("backend", [fail.Keyring], indirect=True)
def test_without_keyring_the_environment_token_is_the_channel_in_use(store, fake_line, backend, monkeypatch):
    with pytest.raises(secrets.KeyringUnavailable) as caught:
        secrets.store_token("Uchan", "tok-1")
    assert "SHOPLINE_CHANNEL_TOKEN にトークンを設定する" in caught.value.text.ja
    monkeypatch.setenv(secrets.TOKEN_ENV, fake_line.token)
    in_use = secrets.channel_in_use()
    assert in_use.from_environment and in_use.stored is None
    assert in_use.channel == secrets.ConnectedChannel(fake_line.bot["userId"], "@123abcde", "テスト商店")
    with pytest.raises(secrets.KeyringUnavailable) as caught:
        secrets.store_token("Uchan", "tok-1")
    text = caught.value.text
    assert "を設定する" not in text.ja and "put the token in" not in text.en  # it is set already
    assert "トークンを使っている" in text.ja and fake_line.token not in text.ja + text.en
