"""Text as it enters the workspace: what cannot be stored as UTF-8 is refused in one line."""

from __future__ import annotations

from workbench.errors import WorkbenchError


class UnstorableText(WorkbenchError):
    """The text holds a character no file can store (a lone surrogate); nothing was saved."""


def problem(text: str, what: str = "text") -> str:
    """'' when `text` can be stored, else one line saying where the unstorable character is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return describe(exc, what)
    return ""


def describe(exc: UnicodeEncodeError, what: str = "text") -> str:
    obj = exc.object if isinstance(exc.object, str) else ""
    bad = obj[exc.start] if exc.start < len(obj) else ""
    code = f"U+{ord(bad):04X}" if bad else "a character"
    line = obj.count("\n", 0, exc.start) + 1
    where = f" on line {line}" if "\n" in obj else ""
    line_start = obj.rfind("\n", 0, exc.start) + 1
    before = " ".join(obj[max(line_start, exc.start - 30) : exc.start].split())[-20:]
    after = f' after "{before}"' if before else ""
    return (
        f"The {what} holds a broken character ({code}, half of a pair){where}{after} that "
        "cannot be stored; delete it and the change will save."
    )


def checked_text(text: str, what: str = "text") -> str:
    """The text itself, or UnstorableText naming the first character that cannot be stored."""
    message = problem(text, what)
    if message:
        raise UnstorableText(message)
    return text
