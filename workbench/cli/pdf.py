"""Command-line commands for exports: export-pdf (optionally signed), export-docx, verify-pdf."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from workbench.cli import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    command,
    open_workspace,
    output_file,
    print_json,
    write_file,
)


def register(sub) -> None:
    p = command(
        sub,
        "export-pdf",
        "export a document as PDF: a published version, or the live draft (watermarked)",
        _export,
    )
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True, help="id or unique title fragment")
    p.add_argument(
        "--version",
        type=int,
        default=None,
        help="a published version (default: the latest if unchanged since, else the draft)",
    )
    p.add_argument("--crm", action="store_true", help="append the comment resolution matrix")
    p.add_argument("--sign", metavar="FILE.p12", help="sign with this PKCS#12 certificate")
    p.add_argument("--password-file", metavar="F", help="file holding the certificate password")
    p.add_argument("--signer-name", help="name shown in the signature (default: certificate's)")
    p.add_argument("-o", "--output", required=True, help="the PDF file to write")
    p = command(
        sub,
        "export-docx",
        "export a document as Word (.docx): a published version, or the live draft",
        _export_docx,
    )
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True, help="id or unique title fragment")
    p.add_argument(
        "--version",
        type=int,
        default=None,
        help="a published version (default: the latest if unchanged since, else the draft)",
    )
    p.add_argument("--crm", action="store_true", help="append the comment resolution matrix")
    p.add_argument("-o", "--output", required=True, help="the .docx file to write")
    p = command(
        sub,
        "verify-pdf",
        "say whether a PDF is exactly a published version, and which (exit 1 if not)",
        _verify,
    )
    p.add_argument("path")
    p.add_argument("file", help="the PDF to check")
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        "redline",
        "what changed between two versions or revisions, as a redline PDF or tracked-changes .docx",
        _redline,
    )
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True, help="id or unique title fragment")
    p.add_argument("--from", dest="old", required=True, help="3 or v3 (published), r12, draft")
    p.add_argument("--to", dest="new", default="draft", help="as --from (default: draft)")
    p.add_argument("-o", "--output", required=True, help="OUT.pdf or OUT.docx")


def _password(args) -> bytes | None:
    if args.password_file and not args.sign:
        raise CliError("export-pdf: --password-file needs --sign", EXIT_USAGE)
    if not args.sign:
        return None
    if not args.password_file:
        raise CliError("export-pdf: --sign needs --password-file", EXIT_USAGE)
    data = Path(args.password_file).read_bytes()
    return data.rstrip(b"\r\n")


def _export(args) -> int:
    from workbench.exports import export_pdf

    password = _password(args)
    out = output_file(args.output)  # refused before the workspace is opened or the log written
    with open_workspace(args.path) as ws, ws.db.atomic():
        result = export_pdf(
            ws,
            args.document,
            version=args.version,
            include_crm=args.crm,
            sign_with=args.sign,
            password=password,
            signer_name=args.signer_name,
        )
        # Inside the transaction: a file the disk refuses is not recorded as having left.
        write_file(out, result.data)
    signed = f", signed by {result.signed_by}" if result.signed_by else ""
    crm = " with the CRM" if args.crm else ""
    source = result.source
    print(f"{source.document.title}: {source.describe()}{crm}{signed} written to {args.output}")
    return EXIT_OK


def _export_docx(args) -> int:
    from workbench.word.export import export_docx

    out = output_file(args.output)
    with open_workspace(args.path) as ws, ws.db.atomic():
        result = export_docx(ws, args.document, version=args.version, include_crm=args.crm)
        write_file(out, result.data)  # not recorded as sent if the disk refuses it
    crm = " with the CRM" if args.crm else ""
    source = result.source
    print(f"{source.document.title}: {source.describe()}{crm} written to {args.output}")
    return EXIT_OK


def _verify(args) -> int:
    from workbench.pdf_verify import verify_pdf

    data = Path(args.file).read_bytes()
    with open_workspace(args.path, read_only=True) as ws:
        result = verify_pdf(ws, data)
    if args.json:
        print_json(result.as_dict())
    else:
        print(result.message)
        sys.stdout.flush()
    return EXIT_OK if result.exact else EXIT_ERROR


def _redline(args) -> int:
    from workbench.redline import redline
    from workbench.redline_files import record_redline_export, redline_file

    suffix = Path(args.output).suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise CliError("redline: the output must end in .pdf or .docx", EXIT_USAGE)
    target = output_file(args.output)
    with open_workspace(args.path) as ws:
        red = redline(ws, args.document, args.old, args.new)
        data = redline_file(red, suffix)
        write_file(target, data)
        digest = hashlib.sha256(data).hexdigest()
        record_redline_export(ws, red.document_id, red.old.spec, red.new.spec, suffix[1:], digest)
    counts = red.counts()
    print(
        f"{red.title}: {red.old.label} to {red.new.label}: {counts['changed']} changed, "
        f"{counts['added']} added, {counts['removed']} removed, {counts['moved']} moved; "
        f"written to {args.output}"
    )
    return EXIT_OK
