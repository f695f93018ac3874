"""Command-line commands for the review round trip: extend a suspense, recall a request."""

from __future__ import annotations

from workbench.cli import command, open_workspace


def register(sub) -> None:
    p = command(sub, "extend", "give a review request a later suspense, with the reason", _extend)
    p.add_argument("path")
    p.add_argument("--request", "-r", type=int, required=True, help="review request id")
    p.add_argument("--to", required=True, metavar="YYYY-MM-DD", help="the new suspense date")
    p.add_argument("--reason", required=True, help="why (on the coordination record)")
    p = command(sub, "recall", "recall (withdraw) a review request, with the reason", _recall)
    p.add_argument("path")
    p.add_argument("--request", "-r", type=int, required=True, help="review request id")
    p.add_argument("--reason", required=True, help="why (on the coordination record)")


def _extend(args) -> int:
    from workbench.coordination.requests import extend_suspense, request

    with open_workspace(args.path) as ws:
        before = request(ws, args.request).suspense_date
        extend_suspense(ws, args.request, args.to, args.reason)
        req = request(ws, args.request)
    print(
        f"Request {req.id} to {req.organization}: suspense extended from {before} to "
        f"{req.suspense_date}."
    )
    return 0


def _recall(args) -> int:
    from workbench.coordination.requests import request, withdraw_request

    with open_workspace(args.path) as ws:
        withdraw_request(ws, args.request, args.reason)
        req = request(ws, args.request)
    print(f"Recalled request {req.id} to {req.organization}; its response will not be accepted.")
    return 0
