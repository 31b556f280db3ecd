"""Reading a cycle's ZET ledger for accreditation: the entries as they count (reversals netted),
their totals, and the comparison of two frozen snapshots.

The ledger itself (``portfolio.CreditEntry``) belongs to the credit engine and is append-only: a
correction is a reversing row with a negative ``zet`` that points at the row it cancels.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

ZERO = Decimal("0")
KINDS = ("program", "event", "module")


def ledger_entries(cycle: Any) -> list[dict[str, Any]]:
    """The cycle's credited elements, one per original entry, with the reversals netted in.

    A fully reversed entry is left out; a partly reversed one shows what remains. Two queries."""
    from portfolio.models import CreditEntry

    rows = list(
        CreditEntry.objects.filter(cycle=cycle)
        .order_by("completed_on", "id")
        .values(
            "id",
            "element_type",
            "title",
            "zet",
            "completed_on",
            "cycle_year",
            "source_kind",
            "source_key",
            "reverses_id",
        )
    )
    reversed_by: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        if row["reverses_id"] is not None:
            reversed_by[row["reverses_id"]] += Decimal(row["zet"])
    entries: list[dict[str, Any]] = []
    for row in rows:
        if row["reverses_id"] is not None:
            continue
        net = Decimal(row["zet"]) + reversed_by.get(row["id"], ZERO)
        if net == ZERO:
            continue
        entries.append(
            {
                "id": row["id"],
                "element_type": row["element_type"],
                "title": row["title"],
                "zet": _dec(net),
                "completed_on": row["completed_on"].isoformat(),
                "cycle_year": row["cycle_year"],
                "source_kind": row["source_kind"],
                "source_key": row["source_key"],
            }
        )
    return entries


def ledger_totals(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals of ``ledger_entries``: overall, per element type (``program`` = DPP PK hours) and
    per cycle year, as Decimals."""
    total = ZERO
    by_kind: dict[str, Decimal] = dict.fromkeys(KINDS, ZERO)
    by_year: dict[str, Decimal] = {}
    for entry in entries:
        zet = Decimal(entry["zet"])
        total += zet
        by_kind[entry["element_type"]] = by_kind.get(entry["element_type"], ZERO) + zet
        year = str(entry["cycle_year"])
        by_year[year] = by_year.get(year, ZERO) + zet
    return {"total": total, "by_kind": by_kind, "by_year": dict(sorted(by_year.items()))}


def totals_as_json(totals: dict[str, Any]) -> dict[str, Any]:
    return {
        "total": _dec(totals["total"]),
        "by_kind": {k: _dec(v) for k, v in totals["by_kind"].items()},
        "by_year": {k: _dec(v) for k, v in totals["by_year"].items()},
    }


def _dec(value: Decimal) -> str:
    """A Decimal as canonical JSON text: two places, so equal amounts hash equally."""
    return str(Decimal(value).quantize(Decimal("0.01")))


def snapshot_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed between two snapshot contents: entries added and removed (by ledger id, with a
    changed amount counted as both), totals that moved, report and files replaced."""
    old_entries = {(e["id"], e["zet"]): e for e in old.get("entries", [])}
    new_entries = {(e["id"], e["zet"]): e for e in new.get("entries", [])}
    added = [new_entries[k] for k in new_entries if k not in old_entries]
    removed = [old_entries[k] for k in old_entries if k not in new_entries]
    totals: list[dict[str, Any]] = []
    old_totals, new_totals = old.get("totals", {}), new.get("totals", {})
    rows = [("total", old_totals.get("total", "0.00"), new_totals.get("total", "0.00"))]
    for group in ("by_kind", "by_year"):
        keys = sorted(set(old_totals.get(group, {})) | set(new_totals.get(group, {})))
        rows += [
            (f"{group}.{key}", old_totals.get(group, {}).get(key, "0.00"), new_totals.get(group, {}).get(key, "0.00"))
            for key in keys
        ]
    for key, before, after in rows:
        if Decimal(before) != Decimal(after):
            totals.append({"key": key, "old": before, "new": after, "delta": _dec(Decimal(after) - Decimal(before))})
    old_files = {f["sha256"] for f in old.get("files", [])}
    new_files = {f["sha256"] for f in new.get("files", [])}
    return {
        "entries_added": added,
        "entries_removed": removed,
        "totals": totals,
        "files_added": [f for f in new.get("files", []) if f["sha256"] not in old_files],
        "files_removed": [f for f in old.get("files", []) if f["sha256"] not in new_files],
        "changed": bool(added or removed or totals or old_files != new_files),
    }
