"""The comment filters the comments panel and the CRM table share: scope, type, organization."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from workbench.coordination import comments as cm


def comment_filter_boxes(
    parent: QWidget, *, open_first: bool
) -> tuple[QComboBox, QComboBox, QComboBox]:
    """(scope: open/all, type, organization); organizations are filled by the caller."""
    scope = QComboBox(parent)
    scope.setAccessibleName("Show open or all comments")
    choices = [("Open comments", True), ("All comments", False)]
    for label, value in choices if open_first else reversed(choices):
        scope.addItem(label, value)
    type_filter = QComboBox(parent)
    type_filter.setAccessibleName("Filter by type")
    type_filter.addItem("All types", None)
    for key, label in cm.COMMENT_TYPES.items():
        type_filter.addItem(f"{key} — {label}", key)
    org_filter = QComboBox(parent)
    org_filter.setAccessibleName("Filter by organization")
    org_filter.addItem("All organizations", None)
    return scope, type_filter, org_filter
