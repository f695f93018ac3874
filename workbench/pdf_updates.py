"""What a PDF's last incremental update changed: only an invisible signature, or more?"""

from __future__ import annotations

import io

# What a signing update may add to the catalog: the form, PAdES extensions, XMP, PDF version.
_CATALOG_KEYS = {"/AcroForm", "/Extensions", "/Metadata", "/Version"}
_NEW_TYPES = {"/Sig", "/Metadata", "/XObject", "/Annot"}


def _zero_area(rect) -> bool:
    try:
        x1, y1, x2, y2 = (float(v) for v in rect)
    except (TypeError, ValueError):
        return False
    return abs(x2 - x1) * abs(y2 - y1) == 0


def _same_except(old, new, allowed: set[str]) -> bool:
    keys = (set(old.keys()) | set(new.keys())) - allowed
    return all(old.raw_get(k) == new.raw_get(k) for k in keys if k in old and k in new) and all(
        (k in old) == (k in new) for k in keys
    )


def _page_ids(node, depth: int = 0) -> set[int]:
    """Object numbers of every page and page-tree node (a hostile tree cannot recurse forever)."""
    from pyhanko.pdf_utils import generic

    if depth > 32 or not isinstance(node, generic.IndirectObject):
        return set()
    out = {node.idnum}
    obj = node.get_object()
    for kid in obj.get("/Kids", []) if isinstance(obj, generic.DictionaryObject) else []:
        out |= _page_ids(kid, depth + 1)
    return out


def signature_only_update(data: bytes) -> str:
    """'' when the file's last revision only adds an invisible signature, else what else it did."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        last = reader.xrefs.total_revisions - 1
        if last < 1:
            return "it has no update after the published bytes"
        old = reader.get_historical_resolver(last - 1)
        new = reader.get_historical_resolver(last)
        changed = reader.xrefs.explicit_refs_in_revision(last)
        old_root = old.root_ref
        info = reader.trailer_view.raw_get("/Info") if "/Info" in reader.trailer_view else None
        page_refs = _page_ids(old.root.raw_get("/Pages"))
        for ref in changed:
            r = generic.Reference(ref.idnum, ref.generation)
            obj = new(r)
            introduced = reader.xrefs.get_introducing_revision(r) == last
            before = None if introduced else old(r)
            if before is None:
                if not isinstance(obj, generic.DictionaryObject):
                    if isinstance(obj, generic.ArrayObject):
                        continue  # an /Annots or /Fields array; what it lists is checked too
                    return "it adds content that is not a signature"
                if obj.get("/FT") == "/Sig" or obj.get("/Subtype") == "/Widget":
                    if not _zero_area(obj.get("/Rect")):
                        return "it adds a visible stamp on a page"
                    continue
                if obj.get("/Type") in _NEW_TYPES or "/Fields" in obj:
                    continue
                return "it adds content that is not a signature"
            if ref.idnum == old_root.idnum:
                if not _same_except(before, obj, _CATALOG_KEYS):
                    return "it changes the document's catalog"
                continue
            if info is not None and ref.idnum == getattr(info, "idnum", None):
                continue  # document properties: never rendered
            if ref.idnum in page_refs:
                if not _same_except(before, obj, {"/Annots"}):
                    return "it changes a page's content"
                for annot in obj.get("/Annots", []):
                    a = annot.get_object()
                    if a.get("/FT") != "/Sig" and a.get("/Subtype") != "/Widget":
                        if annot not in (before.get("/Annots") or []):
                            return "it adds an annotation to a page"
                    elif not _zero_area(a.get("/Rect")):
                        return "it adds a visible stamp on a page"
                continue
            return "it changes objects of the published file"
    except Exception as exc:  # a damaged or hostile file: it is not the published one
        return f"its last update cannot be read ({type(exc).__name__})"
    return ""
