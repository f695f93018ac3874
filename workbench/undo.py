"""Undo and redo of structural edits (add, move, delete section) as reversible commands."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench import find_replace, sections, spelling

UNDO_LIMIT = 200


class Command:
    @property
    def text(self) -> str:
        """What Edit > Undo names ("Undo Move section")."""
        return ""

    def do(self, ws) -> None:
        raise NotImplementedError

    def undo(self, ws) -> None:
        raise NotImplementedError

    def redo(self, ws) -> None:
        self.do(ws)


@dataclass
class AddSection(Command):
    document_id: int
    parent_id: int | None = None
    index: int | None = None
    kind: str = "narrative"
    heading: str = ""
    body: str = ""
    equities: tuple = ()
    section_id: int | None = field(default=None, init=False)
    _placed: tuple[int | None, int] | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Add {self.heading or 'section'}"

    def do(self, ws) -> None:
        self.section_id = sections.add_section(
            ws,
            self.document_id,
            parent_id=self.parent_id,
            index=self.index,
            kind=self.kind,
            heading=self.heading,
            body=self.body,
            equities=self.equities,
        )

    def undo(self, ws) -> None:
        assert self.section_id is not None  # undo follows do
        self._placed = sections.location(ws, self.section_id)
        sections.delete_section(ws, self.section_id)

    def redo(self, ws) -> None:
        # redo follows undo
        assert self.section_id is not None and self._placed is not None
        parent, index = self._placed
        sections.restore_section(ws, self.section_id, parent, index)


@dataclass
class MoveSection(Command):
    section_id: int
    parent_id: int | None
    index: int | None
    label: str = "Move section"
    _from: tuple[int | None, int] | None = field(default=None, init=False)
    _to: tuple[int | None, int] | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return self.label

    def do(self, ws) -> None:
        self._from = sections.location(ws, self.section_id)
        sections.move_section(ws, self.section_id, self.parent_id, self.index)
        self._to = sections.location(ws, self.section_id)

    def undo(self, ws) -> None:
        assert self._from is not None  # undo follows do
        sections.move_section(ws, self.section_id, *self._from)

    def redo(self, ws) -> None:
        assert self._to is not None  # redo follows do and undo
        sections.move_section(ws, self.section_id, *self._to)


@dataclass
class DeleteSection(Command):
    section_id: int
    heading: str = ""
    _from: tuple[int | None, int] | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Delete {self.heading or 'section'}"

    def do(self, ws) -> None:
        self._from = sections.location(ws, self.section_id)
        sections.delete_section(ws, self.section_id)

    def undo(self, ws) -> None:
        assert self._from is not None  # undo follows do
        sections.restore_section(ws, self.section_id, *self._from)

    def redo(self, ws) -> None:
        sections.delete_section(ws, self.section_id)


@dataclass
class AddWord(Command):
    """A word accepted from the spelling menu: Edit > Undo takes it out again."""

    word: str
    _added: bool = field(default=False, init=False)

    @property
    def text(self) -> str:
        return f"Add “{self.word}” to the Dictionary"

    def do(self, ws) -> None:
        self._added = self.word not in spelling.own_words(ws)
        spelling.add_word(ws, self.word)

    def undo(self, ws) -> None:
        if self._added:  # it was there before: undoing the add leaves it
            spelling.remove_word(ws, self.word)


@dataclass
class ReplaceAll(Command):
    """Replace all across a document: one step to undo, however many sections it touched."""

    document_id: int
    find: str
    replacement: str
    match_case: bool = False
    whole_word: bool = False
    result: find_replace.Replaced | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Replace all “{self.find}”"

    def do(self, ws) -> None:
        self.result = find_replace.replace_all(
            ws,
            self.document_id,
            self.find,
            self.replacement,
            match_case=self.match_case,
            whole_word=self.whole_word,
        )

    def undo(self, ws) -> None:
        assert self.result is not None  # undo follows do
        find_replace.restore_texts(ws, self.document_id, self.result.before)

    def redo(self, ws) -> None:
        assert self.result is not None  # redo follows do and undo
        find_replace.restore_texts(ws, self.document_id, self.result.after)


def indent(ws, section_id: int) -> MoveSection | None:
    target = sections.indent_target(ws, section_id)
    return MoveSection(section_id, *target, label="Indent section") if target else None


def outdent(ws, section_id: int) -> MoveSection | None:
    target = sections.outdent_target(ws, section_id)
    return MoveSection(section_id, *target, label="Outdent section") if target else None


def _apply(ws, command: Command, step) -> None:
    """Run one step in a transaction; if it rolls back, so does what the command remembered."""
    state = dict(vars(command))
    try:
        with ws.db.atomic():
            step(ws)
    except BaseException:
        vars(command).clear()
        vars(command).update(state)
        raise


class UndoStack:
    """Commands done through the stack can be undone and redone in order."""

    def __init__(self, limit: int = UNDO_LIMIT):
        self.limit = limit
        self._done: list[Command] = []
        self._undone: list[Command] = []

    def perform(self, ws, command: Command) -> Command:
        _apply(ws, command, command.do)

        def push() -> None:
            self._done.append(command)
            del self._done[: -self.limit]
            self._undone.clear()

        ws.after_commit(push)  # a change rolled back by an outer transaction is not undoable
        return command

    def undo(self, ws) -> Command | None:
        if not self._done:
            return None
        command = self._done[-1]
        _apply(ws, command, command.undo)
        ws.after_commit(lambda: self._undone.append(self._done.pop()))
        return command

    def redo(self, ws) -> Command | None:
        if not self._undone:
            return None
        command = self._undone[-1]
        _apply(ws, command, command.redo)
        ws.after_commit(lambda: self._done.append(self._undone.pop()))
        return command

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_text(self) -> str:
        return self._done[-1].text if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].text if self._undone else ""

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
