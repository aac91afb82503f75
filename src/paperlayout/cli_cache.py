"""`paperlayout cache info | prune | clear`: the cache folder's size, by hand (cacheprune.py)."""

from __future__ import annotations

import click

from .cli import _fail_input, main


def _root():
    from .cache import cache_root

    root = cache_root()
    if root is None:
        _fail_input("error: the cache is off (PAPERLAYOUT_CACHE=off): there is no cache folder to look at")
    return root


@main.group("cache")
def cache_group() -> None:
    """The build cache (parsed fonts, converted photos, story measurements, pages): its size,
    pruning, clearing. Every entry can be removed at any time; a build recomputes it."""


@cache_group.command("info")
def cache_info() -> None:
    """Where the cache is and what it holds, per namespace."""
    from .cacheprune import human, limit_from_env, usage

    root = _root()
    u = usage(root)
    limit = limit_from_env()
    click.echo(f"{root}: {u.files} entries, {human(u.bytes)}"
               + (f" (limit {human(limit)}, $PAPERLAYOUT_CACHE_MAX)" if limit else " (never pruned)"))
    for name, files, size in u.namespaces:
        click.echo(f"  {name:12s} {files:7d} entries  {human(size):>10s}")


@cache_group.command("prune")
@click.option("--max-size", "max_size", metavar="SIZE", help="Keep at most this much (e.g. 500M, 2G); default: "
              "the limit ($PAPERLAYOUT_CACHE_MAX, else 1G).")
def cache_prune(max_size: str | None) -> None:
    """Remove the entries used least recently until the cache holds at most SIZE."""
    from .cacheprune import human, limit_from_env, parse_size, prune

    root = _root()
    if max_size is None:
        limit = limit_from_env()
        if limit <= 0:
            click.echo("no limit set (PAPERLAYOUT_CACHE_MAX=off): nothing pruned; give --max-size SIZE")
            return
    else:
        try:
            limit = parse_size(max_size)
        except ValueError as exc:
            _fail_input(f"error: --max-size: {exc}")
    done = prune(root, limit)
    click.echo(f"removed {done.removed} entries ({human(done.removed_bytes)}); {human(done.kept_bytes)} kept in {root}")


@cache_group.command("clear")
def cache_clear() -> None:
    """Remove every entry of the cache."""
    from .cacheprune import clear, human

    root = _root()
    done = clear(root)
    click.echo(f"removed {done.removed} entries ({human(done.removed_bytes)}) from {root}")
