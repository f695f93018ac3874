"""Command-line commands for search, the study registry and the coordination dashboard."""

from __future__ import annotations

from workbench.cli import CliError, command, open_workspace, output_file, print_json


def register(sub) -> None:
    from workbench.search import ALL_STATUSES, KINDS

    p = command(sub, "search", "full-text search across documents, comments and studies", _search)
    p.add_argument("path")
    p.add_argument("query", help="words to find; the last one may be a prefix")
    p.add_argument("--kind", action="append", choices=list(KINDS), help="repeat for several")
    p.add_argument("--org", help="organization code, e.g. USCG")
    p.add_argument("--status", choices=list(ALL_STATUSES))
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")

    p = command(sub, "dashboard", "coordination progress, overdue reviews and due dates", _dash)
    p.add_argument("path")
    p.add_argument("--json", action="store_true")
    p.add_argument("--pdf", metavar="FILE", help="also write the one-page dashboard PDF")

    p = command(sub, "studies", "the registry of studies and contracts", _studies_help)
    p.add_argument("path")
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=p.__class__)
    a = actions.add_parser("add", help="register a study or contract")
    a.set_defaults(handler=_studies_add)
    a.add_argument("title")
    a.add_argument("--org", required=True, help="owning organization code, e.g. ICE")
    a.add_argument("--office", default="", help="e.g. Bulk Cash Smuggling Center")
    a.add_argument("--kind", choices=["study", "contract"], default="study")
    a.add_argument(
        "--status", choices=["planned", "underway", "completed", "cancelled"], default="planned"
    )
    a.add_argument("--year", type=int)
    a.add_argument("--abstract", default="")
    a.add_argument("--contact", default="")
    a.add_argument("--amount", help="dollars")
    a.add_argument("--json", action="store_true")
    ls = actions.add_parser("list", help="list the registry")
    ls.set_defaults(handler=_studies_list)
    ls.add_argument("--org")
    ls.add_argument("--status")
    ls.add_argument("--json", action="store_true")
    r = actions.add_parser("related", help="existing work most like a planned title/abstract")
    r.set_defaults(handler=_studies_related)
    r.add_argument("title")
    r.add_argument("--abstract", default="")
    r.add_argument("--json", action="store_true")


def _studies_help(args) -> int:
    raise CliError("workbench studies: name an action: add, list or related", 2)


def _search(args) -> int:
    from workbench.search import search

    with open_workspace(args.path, read_only=True) as ws:
        results = search(
            ws,
            args.query,
            kinds=args.kind,
            organization=args.org,
            status=args.status,
            limit=args.limit,
        )
    if args.json:
        print_json(
            {
                "query": args.query,
                "fts": results.query.fts,
                "hint": results.hint,
                "more": results.more,
                "hits": [h.as_dict() for h in results.hits],
            }
        )
        return 0
    if results.hint:
        print(results.hint)
    for h in results.hits:
        where = f" — {h.context}" if h.context else ""
        print(f"[{h.kind_label}] {h.title}{where} ({h.organization or '-'}, {h.status_label})")
        if h.snippet:
            print(f"    {h.snippet_text()}")
    if results.more:
        print(f"(more than {len(results.hits)} matches; use --limit or a filter)")
    return 0


def _dash(args) -> int:
    from workbench.dashboard import dashboard
    from workbench.directory import shown_names

    with open_workspace(args.path, read_only=True) as ws:
        board = dashboard(ws)
        names = shown_names(ws)  # a local agency by name, not the code a solicitation made
        if args.pdf:
            from workbench.dashboard_pdf import write_dashboard_pdf

            out = output_file(args.pdf)
            write_dashboard_pdf(ws, out, board=board)
    if args.json:
        print_json(board.as_dict())
        return 0
    print(f"Coordination dashboard, {board.today}")
    print()
    print(f"{'Document':<44} {'Stage':<13} {'Days':>4} {'Out':>4} {'Late':>4} {'C':>3} {'S':>3}")
    for d in board.documents:
        late = ", ".join(f"{names.get(o, o)} {n}" for o, n in d.overdue.items())
        print(
            f"{d.title[:44]:<44} {d.stage_label:<13} {d.days_in_stage:>4} "
            f"{d.total_outstanding:>4} {d.total_overdue:>4} {d.total_critical:>3} "
            f"{d.total_substantive:>3}" + (f"  overdue: {late}" if late else "")
        )
    if board.solicitations:
        print("\nResponse rates")
        for s in board.solicitations:
            print(f"  {s.title[:44]:<44} {s.label:<40} {s.answered}/{s.asked} ({s.rate:.0%})")
    if board.due:
        print("\nDue dates")
        for i in board.due:
            print(f"  {i.due_date}  {i.title[:50]:<50} {i.state}")
    if board.open_comments_by_org:
        print("\nOpen comments by organization (C/S/A)")
        for org, n in board.open_comments_by_org.items():
            print(f"  {names.get(org, org)[:32]:<32} {n['C']:>4} {n['S']:>4} {n['A']:>4}")
    if args.pdf:
        print(f"\nWrote {args.pdf}")
    return 0


def _studies_add(args) -> int:
    from workbench.studies import add_study, related_work, study

    with open_workspace(args.path) as ws:
        related = related_work(ws, args.title, args.abstract)
        sid = add_study(
            ws,
            args.title,
            args.org,
            kind=args.kind,
            office=args.office,
            status=args.status,
            year=args.year,
            abstract=args.abstract,
            contact=args.contact,
            amount=args.amount,
        )
        s = study(ws, sid)
    if args.json:
        print_json({"study": s.as_dict(), "related_work": [r.as_dict() for r in related]})
        return 0
    print(f"Registered {s.kind} {s.id}: {s.title} ({s.owner})")
    if related:
        print("Related existing work — were its owners consulted?")
        for r in related[:5]:
            print(f"  [{r.kind}] {r.title} ({r.owner or '-'}, {r.status}, {r.year or '-'})")
    return 0


def _studies_list(args) -> int:
    from workbench.studies import list_studies

    with open_workspace(args.path, read_only=True) as ws:
        rows = list_studies(ws, organization_code=args.org, status=args.status)
    if args.json:
        print_json([s.as_dict() for s in rows])
        return 0
    if not rows:
        print("No studies or contracts registered.")
    for s in rows:
        print(f"{s.id:>4}  {s.year or '----'}  {s.status_label:<10} {s.owner:<34} {s.title}")
    return 0


def _studies_related(args) -> int:
    from workbench.studies import related_work

    with open_workspace(args.path, read_only=True) as ws:
        found = related_work(ws, args.title, args.abstract)
    if args.json:
        print_json([r.as_dict() for r in found])
        return 0
    if not found:
        print("No related studies, contracts or documents found.")
    for r in found:
        print(f"[{r.kind}] {r.title} ({r.owner or '-'}, {r.status}, {r.year or '-'})")
        if r.snippet:
            print(f"    {r.snippet_text()}")
    return 0
