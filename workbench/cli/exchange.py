"""Command-line commands for offline exchange: packets, workbooks, responses, solicitation."""

from __future__ import annotations

import sys
from pathlib import Path

from workbench.cli import CliError, command, open_workspace, output_file, print_json, write_file


def register(sub) -> None:
    p = command(sub, "packet", "write a review packet (.cnereview) for a review request", _packet)
    p.add_argument("path")
    p.add_argument("--request", "-r", type=int, required=True, help="review request id")
    p.add_argument("-o", "--output", required=True, help="packet file to write")
    p = command(sub, "workbook", "write a CRM workbook (.xlsx) for a review request", _workbook)
    p.add_argument("path")
    p.add_argument("--request", "-r", type=int, required=True, help="review request id")
    p.add_argument("-o", "--output", required=True, help="workbook file to write")
    p = command(
        sub, "review-copy", "write the Word review copy (.docx) of a review request", _review_copy
    )
    p.add_argument("path")
    p.add_argument("--request", "-r", type=int, required=True, help="review request id")
    p.add_argument("-o", "--output", required=True, help="Word file to write")
    p = command(
        sub,
        "import-response",
        "import a reviewer's response file or filled CRM workbook",
        _import_response,
    )
    p.add_argument("path")
    p.add_argument("file", help="a .cneresponse file, a filled .xlsx workbook or a returned .docx")
    p.add_argument(
        "--organization", help="for a Word file that did not come from CNE Workbench: whose it is"
    )
    p.add_argument("--document", "-d", help="for such a Word file: the document it comments on")
    p.add_argument(
        "--dry-run", action="store_true", help="show what would be imported; write nothing"
    )
    p = command(
        sub, "solicit", "send a document to many external reviewers: one packet each", _solicit
    )
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True, help="id or unique title fragment")
    p.add_argument("--reviewers", required=True, help="CSV with columns name, agency, email")
    p.add_argument("-o", "--output", required=True, help="folder for the packets")
    p.add_argument("--workdays", type=int, default=None, help="suspense in workdays (10)")
    p.add_argument("--instructions", default="", help="what the reviewers should look at")
    p.add_argument("--workbook", action="store_true", help="also a CRM workbook per reviewer")
    p.add_argument("--word", action="store_true", help="also a Word review copy per reviewer")
    p = command(
        sub, "solicitations", "response rate and who is overdue; write a reminder list", _status
    )
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True)
    p.add_argument("--reminders", help="write a CSV of reviewers still to answer")
    p.add_argument("--json", action="store_true")
    p = command(sub, "import-draft", "import a Word (.docx) or Markdown draft", _import_draft)
    p.add_argument("path")
    p.add_argument("file")
    p.add_argument("--kind", default="strategy")
    p.add_argument("--title")
    p.add_argument("--marking", help="overrides a marking found in the Word headers")
    p.add_argument(
        "--keep-markup",
        metavar="ORG",
        help="a draft with reviewers' comments or tracked changes: keep the changes unapplied "
        "and bring comments and changes into the CRM as this organization's",
    )
    p.add_argument(
        "--apply-changes",
        action="store_true",
        help="accept the draft's tracked changes (its comments are then not imported)",
    )


def _output(path: str) -> Path:
    return output_file(path)


def _packet(args) -> int:
    from workbench.exchange.packets import export_packet

    out = _output(args.output)
    with open_workspace(args.path) as ws:
        export_packet(ws, args.request, out)
    print(f"Wrote the review packet for request {args.request} to {out}")
    return 0


def _workbook(args) -> int:
    from workbench.exchange.workbook import export_request_workbook

    out = _output(args.output)
    with open_workspace(args.path) as ws:
        export_request_workbook(ws, args.request, out)
    print(f"Wrote the CRM workbook for request {args.request} to {out}")
    return 0


def _review_copy(args) -> int:
    from workbench.word.review_copy import write_review_copy

    out = _output(args.output)
    with open_workspace(args.path) as ws:
        write_review_copy(ws, args.request, out)
    print(f"Wrote the Word review copy for request {args.request} to {out}")
    return 0


def _import_response(args) -> int:
    from workbench.exchange.word_response import is_word_file

    if is_word_file(args.file):
        return _import_word(args)
    from workbench.exchange.responses import import_response

    if args.organization or args.document:
        raise CliError("workbench: --organization and --document are for Word files only.", 2)
    with open_workspace(args.path) as ws:
        if args.dry_run:
            from workbench.exchange.response_preview import preview_response

            # What would arrive, per section (the document as a whole first), as the app shows.
            print(preview_response(ws, args.file).report())
            print("Dry run: nothing was written.")
            return 0
        result = import_response(ws, args.file)
    print(result.summary())
    return 0


def _import_word(args) -> int:
    from workbench.documents import find_document
    from workbench.exchange.word_response import build_preview, import_word_response

    with open_workspace(args.path, read_only=args.dry_run) as ws:
        doc_id = find_document(ws, args.document).id if args.document else None
        if args.dry_run:
            preview = build_preview(
                ws, args.file, organization_code=args.organization, document_id=doc_id
            )
            print(preview.report())
            print("Dry run: nothing was written.")
            return 0
        result = import_word_response(
            ws, args.file, organization_code=args.organization, document_id=doc_id
        )
    print(result.summary())
    if not result.already_imported:
        print(result.preview.report())
    return 0


def _solicit(args) -> int:
    from workbench.documents import find_document
    from workbench.exchange.solicit import read_reviewers, solicit

    with open_workspace(args.path) as ws:
        doc = find_document(ws, args.document)
        reviewers = read_reviewers(args.reviewers)
        result = solicit(
            ws,
            doc.id,
            reviewers,
            args.output,
            suspense_workdays=args.workdays,
            instructions=args.instructions,
            workbook=args.workbook,
            word=args.word,
        )
    print(
        f"Wrote {len(result.packets)} packet(s) for {doc.title} to {args.output}; "
        f"cover list: {result.cover_list}"
    )
    return 0


def _status(args) -> int:
    from workbench.documents import find_document
    from workbench.exchange.solicit import reminder_csv, solicitations

    with open_workspace(args.path) as ws:
        doc = find_document(ws, args.document)
        found = solicitations(ws, doc.id)
    if not found:
        raise CliError(f"workbench: {doc.title} has not been sent to external reviewers.")
    if args.json:
        print_json(
            [
                {
                    "solicitation_id": s.solicitation_id,
                    "asked": s.asked,
                    "answered": s.answered,
                    "response_rate": round(s.response_rate, 4),
                    "overdue": [
                        {"request_id": r.request_id, "name": r.name, "email": r.email}
                        for r in s.overdue
                    ],
                }
                for s in found
            ]
        )
    else:
        for s in found:
            print(f"Solicitation {s.solicitation_id} ({s.created_at[:10]}): {s.summary()}")
            for r in s.overdue:
                print(f"  overdue  {r.name} ({r.organization}) {r.email}, due {r.suspense_date}")
    if args.reminders:
        out = _output(args.reminders)
        text = reminder_csv(found[-1])  # the latest solicitation is the one being chased
        write_file(out, text)
        print(f"Wrote {len(found[-1].waiting)} reminder(s) to {out}", file=sys.stderr)
    return 0


def _import_draft(args) -> int:
    from workbench.documents import document
    from workbench.exchange.draft_markup import describe, import_draft_keeping_markup, markup_in
    from workbench.exchange.drafts import import_draft

    found = markup_in(args.file)
    if found is not None and found.items and not (args.keep_markup or args.apply_changes):
        raise CliError(
            f"workbench: {describe(args.file, found)}; nothing was imported. Use --keep-markup "
            "ORG to keep the changes unapplied and bring them and the comments into the CRM, or "
            "--apply-changes to accept the changes and leave the comments out."
        )
    with open_workspace(args.path) as ws:
        if args.keep_markup and found is not None and found.items:
            doc_id, result = import_draft_keeping_markup(
                ws,
                args.file,
                args.keep_markup,
                kind=args.kind,
                title=args.title,
                marking=args.marking,
            )
        else:
            doc_id = import_draft(
                ws, args.file, kind=args.kind, title=args.title, marking=args.marking
            )
            result = None
        doc = document(ws, doc_id)
    print(
        f"Imported {doc.title} as document {doc.id}: {doc.section_count} section(s), "
        f"marked {doc.marking}"
    )
    if result is not None:
        print(
            f"Tracked changes kept unapplied; {len(result.comment_ids)} comment(s) and change(s) "
            f"are in the CRM as {result.preview.organization}'s."
        )
    elif found is not None and found.items:
        print(
            f"Tracked changes applied; {found.comment_count} comment(s) were not imported.",
            file=sys.stderr,
        )
    return 0
