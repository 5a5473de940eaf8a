"""Carte des alliances — the server: Streamlit's app plus the routes a deployment needs.

Run with ``make run`` (``streamlit run serve.py``) or, behind a reverse proxy, see the
README's « Déployer » section. ``app.py`` stays the Streamlit script (pages and
navigation); this module wraps it in an ASGI app (``st.App``) that adds:

- ``/donnees/<nom>.json``: the map's points and tooltips, named by their content's hash,
  which every instance can serve whichever instance drew the page
  (:mod:`components.map_data`), gzip-compressed and cacheable for ever;
- a start-up step that reads the inventory before the first visitor;
- a housekeeping task that frees the sessions of visitors who left
  (:mod:`components.memory`);
- a guard on Streamlit's upload endpoint: only a logged-in administrator (the one page
  with an uploader is the import) may send a file; anyone else gets a 403 at once, before
  a byte is kept in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from components import auth, datasets, map_data, memory
from data.accounts import session_actor
from data.db import StoreError

ROOT = Path(__file__).resolve().parent
UPLOAD_PATH = "/_stcore/upload_file"
CACHE_FOREVER = "public, max-age=31536000, immutable"


async def map_file(request: Request) -> Response:
    """One map file: ``points-<hash>.json``, ``labels-<hash>.json`` or ``carte-<hash>.js``."""
    name = request.path_params["name"]
    content = await run_in_threadpool(lambda: map_data.lookup(name, datasets.current_source()))
    if content is None:
        return PlainTextResponse("Fichier de carte inconnu ou trop ancien : rechargez la page.", 404)
    headers = {"Cache-Control": CACHE_FOREVER, "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
    else:
        content = map_data.plain(content)
    media = "text/javascript" if name.endswith(".js") else "application/json"
    return Response(content, media_type=media, headers=headers)


def _warm() -> None:
    """Read the inventory (and publish its map files) before the first visitor comes: an
    instance that starts while the database is down still has the bundled referential, and
    one that starts while it is up has the current snapshot to keep if it later goes down."""
    try:
        map_data.publish(datasets.current_source())
    except Exception as error:  # reported on the pages themselves, in French
        logging.getLogger(__name__).warning("préchargement impossible : %s", error)
    # What is loaded now (geography, catalog) lives as long as the process: keep it out of
    # the garbage collector's full passes, which otherwise walk it again and again.
    gc.freeze()


@contextlib.asynccontextmanager
async def lifespan(_app):
    await run_in_threadpool(_warm)
    reaper = asyncio.create_task(memory.reap_forever())
    yield None
    reaper.cancel()


def may_upload(token: str) -> bool:
    """Whether the login token in a request's cookie belongs to an administrator."""
    source = datasets.current_source()
    repository = datasets.repository_or_none(source)
    if repository is None or not token:
        return False
    try:
        return auth.has_role(session_actor(repository, token), "admin")
    except StoreError:
        return False


class UploadGuard:
    """Refuse Streamlit's file uploads to anyone but a logged-in administrator."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith(UPLOAD_PATH) and scope["method"] != "OPTIONS":
            token = HTTPConnection(scope).cookies.get(auth.COOKIE, "")
            if not await run_in_threadpool(may_upload, token):
                response = PlainTextResponse(
                    "Envoi de fichier réservé aux administrateurs connectés (page Importer).", 403
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


# The routes read the process-wide caches outside a script run: Streamlit warns about it on
# every request, harmlessly (« missing ScriptRunContext »).
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

app = st.App(
    str(ROOT / "app.py"),
    routes=[Route("/donnees/{name}", map_file, methods=["GET", "HEAD"])],
    middleware=[Middleware(UploadGuard)],
    lifespan=lifespan,
)
