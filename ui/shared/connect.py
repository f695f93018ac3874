"""Connecting to a shared workspace: the password from the system keyring, or asked for.

The password is never written to the settings: the keyring (Secret Service, Keychain, Windows
Credential Locker through the `keyring` package) keeps it when the person asks, and the
recent-workspaces list keeps the address without it.
"""

from __future__ import annotations

import logging

from ui import messages
from workbench.errors import PasswordRefused, StoreError
from workbench.workspace import ServerAddress

log = logging.getLogger(__name__)
KEYRING_SERVICE = "CNE Workbench"


def keyring_key(address: ServerAddress) -> str:
    where = f"{address.host or 'localhost'}:{address.port or 5432}"
    return f"{address.user or ''}@{where}/{address.dbname}"


def saved_password(address: ServerAddress) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, keyring_key(address))
    except Exception as exc:  # no keyring on this system (a server, a bare container)
        log.info("No password from the keyring: %s", exc)
        return None


def remember_password(address: ServerAddress, password: str) -> str | None:
    """Store the password in the keyring; the reason it could not be, or None."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_key(address), password)
    except Exception as exc:
        log.warning("Could not store the password in the keyring: %s", exc)
        return str(exc) or type(exc).__name__
    return None


def forget_password(address: ServerAddress) -> None:
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, keyring_key(address))
    except Exception:
        pass


def open_shared(address: ServerAddress, parent=None, *, ask: bool = True):
    """Open the shared workspace, asking for the password when the server wants one.

    Returns the Workspace, or None when the person cancels or the reason was shown.
    """
    from ui.shared.open_dialog import OpenSharedDialog
    from workbench.workspace import Workspace

    password = address.password or saved_password(address)
    typed = False
    remember = False
    problem = ""
    while True:
        address.password = password
        try:
            ws = Workspace.open(address)
        except PasswordRefused as exc:
            if not ask:
                messages.error(parent, "Cannot open the shared workspace", str(exc))
                return None
            problem = str(exc) if (password or typed) else ""
            dialog = OpenSharedDialog(parent, address, problem=problem, ask_password=True)
            if not dialog.exec():
                return None
            address, password, remember = dialog.result_address()
            typed = True
            continue
        except StoreError as exc:
            log.warning("Could not open %s: %s", address, exc)
            messages.error(parent, "Cannot open the shared workspace", str(exc))
            return None
        break
    if typed and remember and password:
        reason = remember_password(address, password)
        if reason:
            messages.info(
                parent,
                "Password not remembered",
                f"The password could not be kept in the system keyring ({reason}); you will "
                "be asked for it next time.",
            )
    return ws
