"""One running instance of the app for the browser: a fresh SQLite file, the shared Checker, a live server.

Accounts and records are made through the app's own stores (``site.add_user``), the same code the
Accounts page and the councillor's pages use; the browser then drives everything else.
"""

from __future__ import annotations

import io
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from fastapi import FastAPI
from PIL import Image

from councilguard.engine import Checker
from councilguard.web.app import create_app
from councilguard.web.settings import WebSettings
from councilguard.web.users import User
from tests.web.conftest import FAST_HASHER, add_user
from tests.web.e2e.live_server import LiveServer


@dataclass
class Site:
    app: FastAPI
    url: str
    db_path: Path

    def add_user(self, role: str, **kwargs) -> User:
        """An account as the Accounts page makes it (password ``tests.web.conftest.PASSWORD``)."""
        return add_user(self.app, role, **kwargs)


def png(width: int, height: int) -> bytes:
    """A small real PNG, as a phone's screenshot of a remark would be (the store checks it is an image)."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(out, format="PNG")
    return out.getvalue()


@contextmanager
def running_site(template: Path, folder: Path, checker: Checker) -> Iterator[Site]:
    """The app on a copy of the migrated ``template`` database in ``folder``, served until the block ends."""
    db_path = folder / "councilguard.db"
    shutil.copyfile(template, db_path)
    settings = WebSettings(db_url=f"sqlite:///{db_path}", migrate=False, warm_up=False, secret_key="e2e-key")
    app = create_app(settings, checker=checker, hasher=FAST_HASHER)
    with LiveServer(app) as server:
        yield Site(app=app, url=server.url, db_path=db_path)
