"""Limit results (layer 5)."""

from nuem.limits.result import LimitResult

__all__ = ["LimitResult"]
