"""Helpers for the `load_demo` loaders in each app's demo.py."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """Create the row, or update only the fields that differ.

    Unlike update_or_create this writes nothing when the row is already as described, so
    loading the demo twice leaves every row, timestamps included, exactly as it was.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj
