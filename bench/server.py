"""Start a local ``streamlit run`` for benchmarks and browser tests (localhost only)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Debian's Chromium, as the browser tests and the benchmark drive it (no network beyond localhost).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_streamlit(
    script: str, env_extra: dict[str, str], *, timeout: float = 90
) -> tuple[subprocess.Popen, str]:
    """Run ``streamlit run script`` on a free local port; return the process and its URL.

    ``ALLIANCES_DEMO_N`` is removed from the environment unless ``env_extra`` sets it.
    """
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env_extra}
    if "ALLIANCES_DEMO_N" not in env_extra:
        env.pop("ALLIANCES_DEMO_N", None)
    # The app itself is started as it is deployed (scripts/serve.sh: its memory allocator).
    if script == "serve.py":
        command = [str(ROOT / "scripts" / "serve.sh"), str(port)]
    else:
        command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    proc = subprocess.Popen(
        [*command, "--server.address", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"le serveur Streamlit ({script}) n'a pas démarré")
