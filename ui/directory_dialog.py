"""The directory: organizations and people (liaisons, detailees, reviewers) and their roles."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import messages
from workbench import directory
from workbench.directory import ORG_KINDS, ROLES, Role

ROLE = Qt.ItemDataRole.UserRole


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class OrganizationDialog(QDialog):
    def __init__(self, org=None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Edit organization" if org else "Add organization")
        self.code = QLineEdit(org.code if org else "", self)
        self.code.setAccessibleName("Code")
        self.code.setReadOnly(org is not None)  # the code is how every record cites it
        self.name = QLineEdit(org.name if org else "", self)
        self.name.setAccessibleName("Name")
        self.name.setMinimumWidth(320)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind")
        for key, label in ORG_KINDS.items():
            self.kind.addItem(label, key)
        if org:
            self.kind.setCurrentIndex(self.kind.findData(org.kind))
            self.kind.setEnabled(False)
        self.liaison_title = QLineEdit(org.liaison_title if org else "", self)
        self.liaison_title.setAccessibleName("Liaison title")
        form = QFormLayout(self)
        form.addRow("&Code:", self.code)
        form.addRow("&Name:", self.name)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Liaison title:", self.liaison_title)
        form.addRow(_buttons(self, "Save" if org else "Add"))

    def values(self) -> dict:
        return {
            "code": self.code.text().strip(),
            "name": self.name.text().strip(),
            "kind": self.kind.currentData(),
            "liaison_title": self.liaison_title.text().strip(),
        }

    @classmethod
    def get_organization(cls, parent, org=None) -> dict | None:
        dialog = cls(org, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class PersonDialog(QDialog):
    def __init__(self, organizations, person=None, parent=None, today: QDate | None = None):
        super().__init__(parent)
        self.setWindowTitle("Edit person" if person else "Add person")
        self.name = QLineEdit(person.name if person else "", self)
        self.name.setAccessibleName("Name")
        self.name.setMinimumWidth(320)
        self.title = QLineEdit(person.title if person else "", self)
        self.title.setAccessibleName("Title")
        self.organization = QComboBox(self)
        self.organization.setAccessibleName("Organization")
        self.organization.addItem("(none)", None)
        for org in organizations:
            self.organization.addItem(f"{org.code} — {org.name}", org.code)
        if person and person.organization_code:
            self.organization.setCurrentIndex(self.organization.findData(person.organization_code))
        self.email = QLineEdit(person.email if person else "", self)
        self.email.setAccessibleName("E-mail")
        roles = {r.role: r for r in (person.roles if person else ())}
        self.role_boxes: dict[str, QCheckBox] = {}
        role_row = QHBoxLayout()
        for key, label in ROLES.items():
            box = QCheckBox(label, self)
            box.setAccessibleName(f"Role: {label}")
            box.setChecked(key in roles)
            self.role_boxes[key] = box
            role_row.addWidget(box)
        liaison = roles.get("liaison")
        self.designated_on = QDateEdit(self)
        self.designated_on.setCalendarPopup(True)
        self.designated_on.setDisplayFormat("yyyy-MM-dd")
        self.designated_on.setAccessibleName("Liaison designation date")
        self.designated_on.setDate(
            QDate.fromString(liaison.designated_on, "yyyy-MM-dd")
            if liaison and liaison.designated_on
            else (today or QDate.currentDate())
        )
        detailee = roles.get("detailee")
        self.position_description = QPlainTextEdit(
            detailee.position_description if detailee else "", self
        )
        self.position_description.setAccessibleName("Detailee position description")
        self.position_description.setPlaceholderText("The detailee's written position description")
        self.position_description.setMaximumHeight(90)
        self.role_boxes["liaison"].toggled.connect(self.designated_on.setEnabled)
        self.role_boxes["detailee"].toggled.connect(self.position_description.setEnabled)
        self.designated_on.setEnabled(self.role_boxes["liaison"].isChecked())
        self.position_description.setEnabled(self.role_boxes["detailee"].isChecked())
        form = QFormLayout(self)
        form.addRow("&Name:", self.name)
        form.addRow("&Title:", self.title)
        form.addRow("&Organization:", self.organization)
        form.addRow("&E-mail:", self.email)
        form.addRow("Roles:", role_row)
        form.addRow("Designated liaison on:", self.designated_on)
        form.addRow("Position description:", self.position_description)
        form.addRow(_buttons(self, "Save" if person else "Add"))

    def values(self) -> dict:
        """Keyword arguments for `directory.add_person(ws, **values)`."""
        roles = []
        for key, box in self.role_boxes.items():
            if not box.isChecked():
                continue
            if key == "liaison":
                roles.append(Role(key, self.designated_on.date().toString("yyyy-MM-dd")))
            elif key == "detailee":
                roles.append(Role(key, None, self.position_description.toPlainText().strip()))
            else:
                roles.append(Role(key))
        return {
            "name": self.name.text().strip(),
            "title": self.title.text().strip(),
            "organization": self.organization.currentData(),
            "email": self.email.text().strip(),
            "roles": roles,
        }

    @classmethod
    def get_person(cls, parent, organizations, person=None) -> dict | None:
        dialog = cls(organizations, person, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _table(parent, headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    return table


def _fill(table: QTableWidget, rows: list[tuple[int, list[str]]]) -> None:
    table.setRowCount(len(rows))
    for r, (ident, cells) in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(ROLE, ident)
            table.setItem(r, c, item)


def _role_text(role: Role) -> str:
    label = ROLES[role.role]
    if role.role == "liaison" and role.designated_on:
        return f"{label} (designated {role.designated_on})"
    return label


def _certificate_text(ws, person_id: int) -> str:
    from workbench.authority import keys, trust

    cert = trust.person_certificate(ws, person_id)
    return f"{keys.subject_name(cert)} ({keys.fingerprint(cert)[:12]}…)" if cert else ""


class DirectoryDialog(QDialog):
    """Lists read on the UI thread; every change written through `ops`."""

    def __init__(self, ws, ops, parent=None):
        super().__init__(parent)
        self.ws, self.ops = ws, ops
        self.setWindowTitle("Directory")
        self.resize(1080, 540)
        tabs = QTabWidget(self)
        self.orgs = _table(self, ["Code", "Name", "Kind", "Liaison title"], "Organizations")
        self.people = _table(
            self,
            ["Name", "Title", "Organization", "E-mail", "Roles", "Signing certificate"],
            "People",
        )
        tabs.addTab(
            self._page(
                self.orgs,
                [("Add organization…", self._add_org_clicked), ("Edit…", self._edit_org_clicked)],
            ),
            "Organizations",
        )
        tabs.addTab(
            self._page(
                self.people,
                [
                    ("Add person…", self._add_person_clicked),
                    ("Edit…", self._edit_person_clicked),
                    ("Remove", self._remove_person_clicked),
                    ("Certificate…", self._certificate_clicked),
                ],
            ),
            "People",
        )
        self.tabs = tabs
        self.orgs.doubleClicked.connect(self._edit_org_clicked)
        self.people.doubleClicked.connect(self._edit_person_clicked)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(close)
        self.refresh()

    def _page(self, table, buttons) -> QWidget:
        page = QWidget(self)
        row = QHBoxLayout()
        for text, slot in buttons:
            b = QPushButton(text, page)
            b.setAccessibleName(text.rstrip("…"))
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(table)
        layout.addLayout(row)
        return page

    def refresh(self, *_args) -> None:
        _fill(
            self.orgs,
            [
                (o.id, [o.code, o.name, o.kind_label, o.liaison_title])
                for o in directory.organizations(self.ws)
            ],
        )
        _fill(
            self.people,
            [
                (
                    p.id,
                    [
                        p.name,
                        p.title,
                        p.organization_code or "",
                        p.email,
                        ", ".join(_role_text(r) for r in p.roles),
                        _certificate_text(self.ws, p.id),
                    ],
                )
                for p in directory.people(self.ws)
            ],
        )

    @staticmethod
    def _selected(table: QTableWidget) -> int | None:
        items = table.selectedItems()
        return items[0].data(ROLE) if items else None

    # -- organizations -----------------------------------------------------------------------
    def add_organization(self, values: dict) -> None:
        self.ops.run(
            directory.add_organization,
            values["code"],
            values["name"],
            values["kind"],
            values["liaison_title"],
            on_done=self.refresh,
        )

    def update_organization(self, org_id: int, values: dict) -> None:
        self.ops.run(
            directory.update_organization,
            org_id,
            name=values["name"],
            liaison_title=values["liaison_title"],
            on_done=self.refresh,
        )

    def _add_org_clicked(self) -> None:
        values = OrganizationDialog.get_organization(self)
        if values:
            self.add_organization(values)

    def _edit_org_clicked(self, *_args) -> None:
        org_id = self._selected(self.orgs)
        if org_id is not None:
            values = OrganizationDialog.get_organization(
                self, directory.organization(self.ws, org_id)
            )
            if values:
                self.update_organization(org_id, values)

    # -- people ------------------------------------------------------------------------------
    def add_person(self, values: dict) -> None:
        values = dict(values)
        name = values.pop("name")
        self.ops.run(directory.add_person, name, **values, on_done=self.refresh)

    def update_person(self, person_id: int, values: dict) -> None:
        self.ops.run(directory.update_person, person_id, **values, on_done=self.refresh)

    def remove_person(self, person_id: int) -> None:
        self.ops.run(directory.remove_person, person_id, on_done=self.refresh)

    def _add_person_clicked(self) -> None:
        values = PersonDialog.get_person(self, directory.organizations(self.ws))
        if values:
            self.add_person(values)

    def _edit_person_clicked(self, *_args) -> None:
        pid = self._selected(self.people)
        if pid is not None:
            values = PersonDialog.get_person(
                self, directory.organizations(self.ws), directory.person(self.ws, pid)
            )
            if values:
                self.update_person(pid, values)

    def set_certificate(self, person_id: int, data: bytes | None) -> None:
        from workbench.authority import trust

        self.ops.run(trust.set_person_certificate, person_id, data, on_done=self.refresh)

    def _certificate_clicked(self, path: str | None = None) -> None:
        """Import a person's public certificate (.pem/.crt/.cer/.der) from a file."""
        pid = self._selected(self.people)
        if pid is None:
            return
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self,
                f"Certificate of {directory.person(self.ws, pid).name}",
                "",
                "Certificates (*.pem *.crt *.cer *.der);;All files (*)",
            )
        if not path:
            return
        try:
            data = open(path, "rb").read(1_000_000)  # a certificate is a few kilobytes
        except OSError as exc:
            messages.error(self, "Certificate", f"Could not read {path}: {exc.strerror}")
            return
        self.set_certificate(pid, data)

    def _remove_person_clicked(self) -> None:
        pid = self._selected(self.people)
        if pid is None:
            return
        person = directory.person(self.ws, pid)
        if messages.confirm(
            self, "Remove person", f"Remove {person.name} from the directory?", ok="Remove"
        ):
            self.remove_person(pid)
