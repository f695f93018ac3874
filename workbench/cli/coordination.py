"""Command-line commands for coordination: route, requests, status, publish, crm."""

from __future__ import annotations

import sys

from workbench.cli import (
    EXIT_BLOCKED,
    CliError,
    command,
    open_workspace,
    output_file,
    print_json,
    write_file,
)


def register(sub) -> None:
    p = command(
        sub, "route", "send each organization with equities the sections it must review", _route
    )
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True, help="id or unique title fragment")
    p.add_argument("--workdays", type=int, default=None, help="suspense in workdays (10)")
    p = command(sub, "requests", "list review requests with ids and status", _requests)
    p.add_argument("path")
    p.add_argument("--document", "-d")
    p.add_argument("--json", action="store_true")
    p = command(
        sub, "status", "why a document cannot be published yet (exit 3 when blocked)", _status
    )
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True)
    p.add_argument("--json", action="store_true")
    p = command(sub, "publish", "publish a document, or list what blocks it (exit 3)", _publish)
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True)
    p.add_argument(
        "--by", help="optional check: must name the person you act as (--as or whoami --set)"
    )
    from workbench.cli.authority import add_key_options

    add_key_options(p)
    p = command(sub, "crm", "export a document's comment resolution matrix", _crm)
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True)
    p.add_argument(
        "--format",
        choices=["csv", "xlsx"],
        default=None,
        help="csv or xlsx (default: from the output file's extension)",
    )
    p.add_argument("-o", "--output", required=True, help="file to write ('-' for stdout)")


def _route(args) -> int:
    from workbench.coordination.requests import request
    from workbench.coordination.reviews import route_document
    from workbench.documents import find_document

    with open_workspace(args.path) as ws:
        doc = find_document(ws, args.document)
        ids = route_document(ws, doc.id, suspense_workdays=args.workdays)
        if not ids:
            print(
                f"Nothing to route: every organization with equities in {doc.title} has a "
                "current review, a waiver, or a request out."
            )
        for rid in ids:
            r = request(ws, rid)
            print(
                f"Request {r.id} to {r.organization} ({r.reviewer_name or 'no liaison named'}): "
                f"{len(r.sections)} section(s), suspense {r.suspense_date}"
            )
    return 0


def _requests(args) -> int:
    from workbench.coordination.requests import list_requests
    from workbench.documents import find_document, list_documents

    with open_workspace(args.path, read_only=True) as ws:
        doc = find_document(ws, args.document) if args.document else None
        titles = {d.id: d.title for d in list_documents(ws)}
        reqs = list_requests(ws, doc.id if doc else None)
        if args.json:
            print_json(
                [
                    {
                        "id": r.id,
                        "document_id": r.document_id,
                        "document": titles.get(r.document_id, ""),
                        "organization": r.organization,
                        "reviewer": r.reviewer_name,
                        "status": r.status,
                        "suspense_date": r.suspense_date,
                        "sent_at": r.sent_at,
                        "returned_at": r.returned_at,
                        "sections": list(r.section_ids),
                    }
                    for r in reqs
                ]
            )
            return 0
        if not reqs:
            print("No review requests.")
        for r in reqs:
            print(
                f"{r.id:>4}  {r.organization:<8} {r.status_label:<10} due {r.suspense_date}  "
                f"{titles.get(r.document_id, '')}"
            )
    return 0


def _report_json(report) -> dict:
    def item(i):
        return {
            "rule": i.rule,
            "message": i.message,
            "organization": i.organization,
            "section_id": i.section_id,
            "comment_id": i.comment_id,
            "request_id": i.request_id,
        }

    return {
        "document_id": report.document_id,
        "publishable": report.publishable,
        "state": report.state,
        "summary": report.summary(),
        "blockers": [item(i) for i in report.blockers],
        "warnings": [item(i) for i in report.warnings],
    }


def _print_report(title: str, report, stream=None) -> None:
    stream = stream or sys.stdout  # looked up at call time: tests swap sys.stdout
    print(f"{title}: {report.summary()}", file=stream)
    for b in report.blockers:
        print(f"  BLOCKER  {b.message}", file=stream)
    for w in report.warnings:
        print(f"  warning  {w.message}", file=stream)


def _status(args) -> int:
    from workbench.coordination.gate import publication_blockers
    from workbench.documents import find_document

    with open_workspace(args.path, read_only=True) as ws:
        doc = find_document(ws, args.document)
        report = publication_blockers(ws, doc.id)
        if args.json:
            print_json({"title": doc.title, **_report_json(report)})
        else:
            _print_report(doc.title, report)
    return 0 if report.publishable or report.published else EXIT_BLOCKED


def _publish(args) -> int:
    from workbench.cli.authority import signer_from_args
    from workbench.coordination.gate import publication_blockers
    from workbench.coordination.positions import require_director
    from workbench.coordination.publication import publish
    from workbench.documents import document, find_document

    with open_workspace(args.path) as ws:
        doc = find_document(ws, args.document)
        require_director(ws, args.by)
        report = publication_blockers(ws, doc.id)
        if report.published:
            raise CliError(f"workbench: {doc.title}: {report.summary()}.")
        if not report.publishable:
            _print_report(doc.title, report, sys.stderr)
            return EXIT_BLOCKED
        publish(ws, doc.id, by_name=args.by, signer=signer_from_args(ws, args))
        doc = document(ws, doc.id)
        print(f"Published {doc.title}, version {doc.version}.")
    return 0


def _crm(args) -> int:
    from workbench.coordination.publication import crm_csv
    from workbench.documents import find_document

    fmt = args.format or ("xlsx" if args.output.lower().endswith(".xlsx") else "csv")
    if fmt == "xlsx":
        return _crm_xlsx(args)
    with open_workspace(args.path, read_only=True) as ws:
        doc = find_document(ws, args.document)
        text = crm_csv(ws, doc.id)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    out = output_file(args.output)
    write_file(out, text)
    print(f"Wrote {text.count(chr(10)) - 1} comment(s) to {out}")
    return 0


def _crm_xlsx(args) -> int:
    from workbench.documents import find_document
    from workbench.exchange.consolidated_crm import export_consolidated_crm

    if args.output == "-":
        raise CliError("workbench: a workbook cannot go to standard output; name a .xlsx file.")
    out = output_file(args.output)
    with open_workspace(args.path, read_only=True) as ws:
        doc = find_document(ws, args.document)
        export_consolidated_crm(ws, doc.id, out)
    print(f"Wrote the consolidated CRM of {doc.title} to {out}")
    return 0
