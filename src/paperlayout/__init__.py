"""paperlayout: Chinese newspaper pages from plain-text issue descriptions.

Pipeline (see docs/architecture.md): load → compose text → lay out → check → render.
"""

__version__ = "0.1.0"
