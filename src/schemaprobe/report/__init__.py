"""Renderers: data in, text out (snapshots now; findings as their issues land)."""
