"""Puts identity, signing keys, approval chains and the audit log into the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel

from ui import messages
from workbench import directory, documents
from workbench.authority import approvals, decisions, identity, keys, rulings, trust
from workbench.errors import WorkbenchError

if TYPE_CHECKING:  # the dialogs are imported when opened: ~30 ms the window's start skips
    from ui.authority.chains_dialog import ChainsDialog
    from ui.authority.key_dialog import KeyDialog
    from ui.authority.log_viewer import AuditLogDialog
    from ui.authority.trust_roots_dialog import TrustRootsDialog

# The first window on a workspace asks who you are when this OS account has not said yet.
# The UI tests' fixture turns it off; the tests of this part turn it back on.
ASK_ON_OPEN = True


class Authority:
    """The Authority menu, the "Acting as" status, and the dialogs behind them."""

    def __init__(self, window):
        self.window = window
        self.ws = window.ws
        self.status = QLabel(window)
        self.status.setObjectName("actingAs")
        self.status.setAccessibleName("Acting as")
        window.statusBar().addPermanentWidget(self.status)
        menu = window.add_menu("&Authority")
        self.menu = menu
        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
            ("who", "&Who Am I…", "Ctrl+Alt+I", self.who_am_i),
            ("key", "&Unlock My Signing Key…", "", self.unlock_key),
            (None, None, None, None),
            ("approve", "&Approve This Version", "Ctrl+Alt+A", self.approve),
            ("no_coordination", "&No Coordination Required…", "", self.no_coordination),
            ("chains", "Approval &Chains…", "", self.edit_chains),
            ("decisions", "&Decisions on This Document…", "", self.show_decisions),
            ("trust_roots", "&Trust Roots…", "", self.trust_roots),
            ("next_version", "&Start Next Version…", "", self.start_next_version),
            (None, None, None, None),
            ("log", "Audit &Log…", "Ctrl+Alt+L", self.show_log),
        ):
            if key is None:
                menu.addSeparator()
                continue
            action = QAction(text, window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _checked=False, fn=slot: fn())
            menu.addAction(action)
            self.actions[key] = action
        menu.aboutToShow.connect(self._update_actions)
        self.choose_root_file = self._ask_root_file  # tests answer the file dialog
        identity.restore(self.ws)
        self.refresh()
        window.workspace_changed.connect(self.refresh)
        if ASK_ON_OPEN and identity.current(self.ws) is None and not self.ws.read_only:
            QTimer.singleShot(0, self.who_am_i)

    # -- state ---------------------------------------------------------------------------------
    def document_id(self) -> int | None:
        return self.window.navigator.current_document_id()

    def refresh(self) -> None:
        person = identity.current(self.ws)
        if person is None:
            self.status.setText("Acting as: no one — Authority → Who Am I…")
            return
        signer = getattr(self.ws, "signer", None)
        key = " · key unlocked" if signer is not None and signer.person_id == person.id else ""
        title = f" ({person.title})" if person.title else ""
        self.status.setText(f"Acting as: {person.name}{title}{key}")

    def _update_actions(self) -> None:
        doc_id = self.document_id()
        status = None
        if doc_id:
            try:
                status = documents.document(self.ws, doc_id).status
            except WorkbenchError:
                status = None
        self.actions["approve"].setEnabled(bool(doc_id) and status != "published")
        self.actions["no_coordination"].setEnabled(bool(doc_id) and status != "published")
        self.actions["decisions"].setEnabled(bool(doc_id))
        self.actions["next_version"].setEnabled(status == "published")

    # -- identity ------------------------------------------------------------------------------
    def who_am_i(self) -> None:
        from ui.authority.identity_dialog import IdentityDialog

        dialog = IdentityDialog(self.ws, self.window, current=self.ws.person_id)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        kind, value = dialog.choice()
        if kind == "person":
            self._become(value)
        elif kind == "new":
            self.window.ops.run(
                directory.add_person,
                value["name"],
                title=value["title"],
                organization=value["organization"],
                on_done=self._become,
            )

    def _become(self, person_id: int) -> None:
        person = identity.act_as(self.ws, person_id)
        identity.remember(self.ws, person_id)
        self.refresh()
        self.window.statusBar().showMessage(f"You act as {person.name}.", 4000)
        self.window.workspace_changed.emit()

    def unlock_key(self, dialog: KeyDialog | None = None) -> bool:
        """Open the acting person's key for this session; True when it is ready to sign.

        Where the directory holds no certificate for them yet, it offers to add this key's
        (the write runs on the writer thread: the key is ready once it is stored, and the
        command that asked is chosen again)."""
        person = identity.current(self.ws)
        if person is None:
            messages.error(self.window, "Unlock my signing key", "Say who you are first.")
            return False
        from ui.authority.key_dialog import KeyDialog

        dialog = dialog or KeyDialog(self.window, person=person.name)
        dialog.person_id = person.id
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.signer is None:
            return False
        signer = dialog.signer
        stored = trust.person_certificate(self.ws, person.id)
        if stored is None:
            self._offer_certificate(person, signer)
            return False
        if keys.fingerprint(stored) != signer.fingerprint:
            messages.error(
                self.window,
                "Unlock my signing key",
                f"That key's certificate ({signer.name}, SHA-256 "
                f"{keys.short_fingerprint(signer.fingerprint)}) is not the one the directory "
                f"holds for {person.name} (SHA-256 "
                f"{keys.short_fingerprint(keys.fingerprint(stored))}). Open the key that "
                "certificate belongs to, or replace the certificate in Tools → Directory….",
            )
            return False
        self.ws.signer = signer
        self.refresh()
        return True

    def _offer_certificate(self, person, signer: keys.Signer) -> None:
        """The directory holds no certificate for the acting person: offer this key's."""
        issuer = keys.issuer_name(signer.certificate)
        if not messages.confirm(
            self.window,
            "Unlock my signing key",
            f"The directory holds no certificate for {person.name} yet.\n\nAdd this key's "
            f"certificate to the directory? It names {signer.name}, issued by {issuer}, "
            f"SHA-256 {keys.short_fingerprint(signer.fingerprint)}.\n\nFrom then on, decisions "
            f"by {person.name} count only when they are signed with this key.",
            ok="Add certificate",
        ):
            return

        def stored(_result) -> None:
            self.ws.signer = signer
            self.refresh()
            self.window.statusBar().showMessage(
                f"{person.name}'s certificate is in the directory and the key is unlocked; "
                "choose the command again to sign with it.",
                8000,
            )

        self.window.ops.run(
            trust.set_person_certificate, person.id, signer.certificate, on_done=stored
        )

    def key_ready(self) -> bool:
        """Before a decision: a person whose certificate the directory holds opens their key."""
        person = identity.current(self.ws)
        if person is None or trust.person_certificate(self.ws, person.id) is None:
            return True  # unsigned where no keys exist; the use-case says so otherwise
        signer = getattr(self.ws, "signer", None)
        if signer is not None and signer.person_id == person.id:
            return True
        return self.unlock_key()

    # -- decisions -----------------------------------------------------------------------------
    def approve(self) -> None:
        doc_id = self.document_id()
        if not doc_id:
            return
        waiting = approvals.pending(self.ws, doc_id)
        if waiting is None:
            messages.info(self.window, "Approve", "No approval step is waiting on this version.")
            return
        doc = documents.document(self.ws, doc_id)
        if not self.key_ready():
            return
        if not messages.confirm(
            self.window,
            "Approve this version",
            f"Clear version {doc.version} of {doc.title} as {waiting.step.holder}? "
            "A later change to the text sends it back to you.",
            ok="Approve",
        ):
            return
        self.window.ops.run(
            rulings.approve,
            doc_id,
            on_done=lambda _d: self.window.statusBar().showMessage(
                f"{waiting.step.title} cleared version {doc.version}.", 4000
            ),
        )

    def no_coordination(self) -> None:
        doc_id = self.document_id()
        if not doc_id:
            return
        doc = documents.document(self.ws, doc_id)
        from workbench.coordination.gate import never_coordinated

        title = "No coordination required"
        try:
            decisions.require_director(self.ws, "rule that a document needs no coordination")
        except WorkbenchError as exc:
            messages.error(self.window, title, str(exc))
            return
        if not never_coordinated(self.ws, doc_id):
            # Said before the reason is typed, not after.
            messages.info(
                self.window,
                title,
                f"{doc.title} names organizations with equities or was sent for review, so it "
                "is coordinated: a review nobody needs is waived one by one (Coordination → "
                "Waive Review (Director)…).",
            )
            return
        if not self.key_ready():
            return
        reason = messages.ask_text(
            self.window,
            "No coordination required",
            f"As the Director, say why {doc.title} needs no one's review (signed and printed "
            "in the coordination record):",
        )
        if not reason or not reason.strip():
            return
        self.window.ops.run(rulings.no_coordination_required, doc_id, reason=reason)

    def edit_chains(self, dialog: ChainsDialog | None = None) -> None:
        doc_id = self.document_id()
        kind = documents.document(self.ws, doc_id).kind if doc_id else None
        try:
            decisions.require_director(self.ws, "change approval chains")
            read_only = ""
        except WorkbenchError as exc:
            read_only = f"{exc} The chains are shown as they stand."
        from ui.authority.chains_dialog import ChainsDialog

        dialog = dialog or ChainsDialog(self.ws, self.window, kind=kind, read_only_reason=read_only)
        if dialog.exec() != QDialog.DialogCode.Accepted or read_only:
            return
        current = {
            k: [(s.title, s.person_id) for s in approvals.chain(self.ws, k)]
            for k in dialog.chains()
        }
        for k, steps in dialog.chains().items():
            if steps != current.get(k):
                self.window.ops.run(approvals.set_chain, k, steps)

    def show_decisions(self) -> str:
        """Every decision on the selected document, who made it and whether it counts."""
        doc_id = self.document_id()
        if not doc_id:
            return ""
        from workbench.authority import decisions

        doc = documents.document(self.ws, doc_id)
        lines = []
        for d in decisions.decisions(self.ws, doc_id):
            signature = d.signature_label
            # "Waiver — signed by Dana Reyes", not "Waiver by Dana Reyes — signed by Dana Reyes".
            who = "" if signature == f"signed by {d.by_name}" else f" by {d.by_name or 'unknown'}"
            lines.append(
                f"{d.at[:10]}  v{d.document_version}  {d.label}{who} — {signature}"
                f"{'' if d.counts else ' (does not count)'}"
            )
        text = "\n".join(lines) or "No decisions yet."
        messages.info(self.window, f"Decisions on {doc.title}", text)
        return text

    def trust_roots(self) -> TrustRootsDialog:
        """The pinned roots, with Pin… and Unpin (the writes run on the writer thread)."""
        from ui.authority.trust_roots_dialog import TrustRootsDialog

        dialog = TrustRootsDialog(
            self.ws,
            self.window,
            pin=lambda reload: self.pin_root(on_done=reload),
            unpin=lambda fp, subject, reload: self.unpin_root(fp, subject, on_done=reload),
        )
        self._roots = dialog  # kept referenced while it is open
        dialog.open()
        return dialog

    def unpin_root(self, fingerprint: str, subject: str, *, on_done=None) -> None:
        """Unpin a root, after saying what that changes."""
        others = [a for a in trust.pinned(self.ws) if a.fingerprint != fingerprint]
        effect = (
            "Certificates must still chain to the other pinned root(s)."
            if others
            else "With no root pinned, any certificate the directory holds for a person counts."
        )
        if not messages.confirm(
            self.window,
            "Unpin trust root",
            f"Unpin {subject}?\n\nPeople's certificates will no longer have to be issued by "
            f"it. {effect} Decisions already signed are checked again under the new rule.",
            ok="Unpin",
        ):
            return

        def done(_result) -> None:
            self.window.statusBar().showMessage(f"Unpinned {subject}.", 5000)
            if on_done is not None:
                on_done()

        self.window.ops.run(trust.unpin_trust_anchor, fingerprint, on_done=done)

    def _ask_root_file(self) -> str:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Pin the CNE trust root",
            "",
            "Certificates (*.pem *.crt *.cer *.der);;All files (*)",
        )
        return path

    def pin_root(self, path: str | None = None, *, on_done=None) -> None:
        """Pin the CNE root or intermediate that people's certificates must chain to."""
        if path is None:
            path = self.choose_root_file()
        if not path:
            return
        try:
            with open(path, "rb") as fh:
                data = fh.read(1_000_000)
        except OSError as exc:
            messages.error(self.window, "Pin trust root", f"Could not read {path}: {exc.strerror}")
            return
        try:
            subject = keys.subject_name(data)
        except WorkbenchError as exc:
            messages.error(self.window, "Pin trust root", f"{path}: {exc}")
            return

        def done(_fp) -> None:
            self.window.statusBar().showMessage(
                f"Pinned {subject}: signers must chain to it.", 5000
            )
            if on_done is not None:
                on_done()

        self.window.ops.run(trust.pin_trust_anchor, data, on_done=done)

    def start_next_version(self) -> None:
        # The selected document: with a document row selected the editor shows no section.
        self.window.editor.start_next_version(self.document_id())

    def show_log(self) -> AuditLogDialog:
        from ui.authority.log_viewer import AuditLogDialog

        dialog = AuditLogDialog(self.ws, self.window, document_id=self.document_id())
        dialog.setModal(False)
        dialog.show()
        self._log = dialog  # kept referenced while it is open
        return dialog


def install(window) -> Authority:
    return Authority(window)
