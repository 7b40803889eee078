import re

import pytest

from handlers.settings import Settings, SettingsError

TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345"


def test_no_token_is_the_console() -> None:
    settings = Settings.from_env({})
    assert settings.console and settings.webhook_url is None


def test_polling_and_webhook() -> None:
    polling = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert not polling.console and polling.webhook_url is None
    webhook = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "WEBHOOK_URL": "https://bot.example.org/hook",
            "PORT": "8443",
            "WEBHOOK_SECRET": "s3cret_-",
            "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
        }
    )
    assert webhook.port == 8443 and webhook.webhook_secret == "s3cret_-"
    assert webhook.api_url == "http://127.0.0.1:8081"
    assert webhook.callback_secret != Settings().callback_secret  # derived from the token


def test_a_malformed_token_is_explained_with_a_real_looking_example() -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "123:ABC"})
    example = re.search(r"like (\S+?)\)", str(error.value))
    assert example is not None
    assert Settings.from_env({"TELEGRAM_BOT_TOKEN": example.group(1)}).token == example.group(1)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TELEGRAM_BOT_TOKEN": "nope"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "http://x.org"}, "https://"),
        ({"WEBHOOK_URL": "https://x.org/hook"}, "TELEGRAM_BOT_TOKEN is not"),
        ({"PORT": "eighty"}, "PORT: expected a number"),
        ({"PORT": "70000"}, "PORT: expected a value between 1 and 65535"),
        ({"WEBHOOK_SECRET": "has spaces"}, "WEBHOOK_SECRET"),
        ({"TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"),
        ({"MOVIEREC_FLOOD_LIMIT": "0"}, "MOVIEREC_FLOOD_LIMIT"),
    ],
)
def test_clear_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(")):
        Settings.from_env(env)
    try:
        Settings.from_env(env)
    except SettingsError as error:
        assert TOKEN not in str(error)
