"""`paperlayout serve ISSUE`: the editor's live proofs in the browser (see serve.py)."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

import click

from .cli import main


@main.command("serve")
@click.argument("issue", type=click.Path(path_type=Path))
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0: a free one, printed).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback lets other machines read the proofs.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the proof images (default: a new temporary folder); nothing else is written.")
@click.option("--dpi", default=150, show_default=True, type=click.IntRange(36, 600), help="Resolution of the proofs.")
@click.option("--fonts", "fonts_dir", type=click.Path(path_type=Path, file_okay=False), help="Folder with the font files.")
def serve_cmd(issue: Path, port: int, host: str, open_browser: bool, out: Path | None, dpi: int, fonts_dir: Path | None) -> None:
    """Serve live proofs of ISSUE on http://127.0.0.1:PORT/, rebuilt when a file is saved.

    \b
    Example:
      paperlayout serve issues/dalate --open
    """
    from .serve import issue_file, serve

    target = issue_file(issue)
    if not target.is_file():
        click.echo(f"error: {target}: no such issue file; give an issue.yaml or its folder", err=True)
        sys.exit(2)
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        click.echo(f"warning: binding {host}: the proofs are readable from other machines", err=True)
    try:
        serve(issue, host=host, port=port, out=out, dpi=dpi, fonts_dir=fonts_dir, open_browser=open_browser,
              announce=lambda text: click.echo(text, err=False))
    except OSError as exc:  # port taken, address not available
        click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port", err=True)
        sys.exit(2)
