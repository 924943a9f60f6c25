"""Relay settings as typed on the command line, and the errors a typo gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from councilguard.gateway.config import DEFAULT_MAX_MESSAGE, RelayConfig, human_size, parse_hostport
from councilguard.gateway.delivery import Backoff
from councilguard.gateway.errors import RelaySettingError


@pytest.mark.parametrize(("value", "expected"), [
    ("127.0.0.1:10025", ("127.0.0.1", 10025)),
    ("smtp.provider.example:587", ("smtp.provider.example", 587)),
    ("[::1]:25", ("::1", 25)),
    (":2525", ("127.0.0.1", 2525)),
    ("0.0.0.0:25", ("0.0.0.0", 25)),
])
def test_parse_hostport(value, expected):
    assert parse_hostport(value, "--listen") == expected


@pytest.mark.parametrize(("value", "match"), [
    ("localhost", "'localhost' is not HOST:PORT"),
    ("::1:25", "'::1:25' is not HOST:PORT"),
    ("host:99999", "port 99999 is not between 0 and 65535"),
    ("", "'' is not HOST:PORT"),
])
def test_bad_hostport_names_the_setting(value, match):
    with pytest.raises(RelaySettingError, match=f"^--upstream: {match}"):
        parse_hostport(value, "--upstream")


def test_from_strings_defaults_to_35_mb():
    config = RelayConfig.from_strings(listen=":10025", upstream="mail.example:25", spool="sp")
    assert config.max_message_bytes == DEFAULT_MAX_MESSAGE == 35 * 2**20
    assert (config.listen_host, config.listen_port, str(config.upstream), config.spool) == (
        "127.0.0.1", 10025, "mail.example:25", Path("sp"))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"max_message_mb": 0}, "--max-size: 0 MB"),
    ({"notice_from": "postmaster"}, "--notice-from: 'postmaster' is not an e-mail address"),
    ({"max_message_mb": 0.0005}, "max message size: 524 bytes is too small"),
])
def test_bad_settings_are_refused_before_anything_starts(kwargs, match):
    with pytest.raises(RelaySettingError, match=match):
        RelayConfig.from_strings(listen=":1", upstream="u:2", spool="s", **kwargs)


@pytest.mark.parametrize(("size", "text"), [(35 * 2**20, "35 MB"), (64 * 1024, "64 KB"), (500, "500 bytes")])
def test_human_size(size, text):
    assert human_size(size) == text


@pytest.mark.parametrize(("tries", "delay"), [(1, 30), (2, 60), (3, 120), (6, 900), (40, 900)])
def test_backoff_doubles_up_to_its_longest(tries, delay):
    assert Backoff().delay(tries) == delay
