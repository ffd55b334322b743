#!/usr/bin/env python3
"""Benchmark baseline: the checks a portfolio office would otherwise script in
Python (PyYAML with the libyaml C loader). Not a replacement for
`portfolio check`; a reasonable script to compare its speed with.

    python3 bench/check.py [ROOT]

Reads portfolio.yaml and every tiltak file, parses the front matter, and checks:
required fields (always and by phase), ID format and that it matches the file
name, duplicate IDs, allowed values (priority, state, status/risk levels,
product groups, segments, SDGs, strategy goals), reason for yellow/red status
and mitigation for yellow/red risk, state_reason for on_hold/stopped, unknown
dependencies, and that ticked criteria of each phase reached have their
evidence (field filled / section with content). Prints the error count; exit 1
when there are errors.
"""

from __future__ import annotations

import os
import re
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LEVELS = {"green", "grønn", "gronn", "yellow", "gul", "red", "rød", "rod"}
PRIORITIES = {"must", "må", "ma", "must have", "should", "bør", "bor", "should have", "could", "kan", "could have",
              "wont", "won't", "won’t", "vil ikke", "ikke nå"}
STATES = {"active", "aktiv", "on_hold", "on hold", "paused", "pause", "på vent", "pa vent", "stopped", "stoppet",
          "avbrutt"}
RED_OR_YELLOW = {"yellow", "gul", "red", "rød", "rod"}
TASK = re.compile(r"^\s*[-*+]\s+\[([ xX])\]\s+(.*?)\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
COMMENT = re.compile(r"<!--.*?-->", re.S)


def norm(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


def filled(value) -> bool:
    if value is None:
        return False
    if isinstance(value, (str, list, dict)):
        return bool(value.strip() if isinstance(value, str) else value)
    return True


def field_filled(fm: dict, path: str) -> bool:
    value = fm
    for part in path.split("."):
        if not isinstance(value, dict):
            return False
        value = value.get(part)
    return filled(value)


def sections(body: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = None
    for line in body.splitlines():
        m = HEADING.match(line)
        if m and len(m.group(1)) == 2:
            current = m.group(2)
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return out


def main() -> int:
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    with open(os.path.join(root, "portfolio.yaml"), encoding="utf-8") as f:
        d = yaml.load(f, Loader=Loader)
    prefix = d["id_prefix"]
    tdir = os.path.join(root, d.get("tiltak_dir", "tiltak"))
    phases = d["phases"]
    folder_index = {p["folder"]: i for i, p in enumerate(phases)}
    phase_index = {p["id"]: i for i, p in enumerate(phases)}
    required = [(f["field"], phase_index.get(f.get("from_phase"), 0)) for f in d.get("fields") or []]
    groups = {g.lower() for g in d.get("product_groups") or []}
    segments = {s["id"] for s in d.get("segments") or []}
    sdgs = {s["id"] for s in d.get("sdgs") or []}
    goals = {g["id"] for g in d.get("strategic_goals") or []}
    heading = (d.get("labels") or {}).get("criteria_heading", "Kriterier")
    not_relevant = (d.get("labels") or {}).get("not_relevant", "ikke relevant")
    criteria = [{norm(c["text"]): c.get("check") or {} for c in p.get("criteria") or []} for p in phases]
    id_re = re.compile(rf"^{re.escape(prefix)}-\d+$")

    errors: list[str] = []
    seen: dict[str, str] = {}
    deps: list[tuple[str, str]] = []
    count = 0
    for dirpath, dirnames, filenames in os.walk(tdir):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            count += 1
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            err = lambda msg: errors.append(f"{rel}: {msg}")
            phase = folder_index.get(os.path.basename(dirpath)) if os.path.dirname(dirpath) == tdir else None
            if phase is None:
                err("not in a phase folder")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            if not text.startswith("---\n"):
                err("missing front matter")
                continue
            end = text.find("\n---\n", 3)
            if end < 0:
                err("unterminated front matter")
                continue
            try:
                fm = yaml.load(text[4:end + 1], Loader=Loader)
            except (yaml.YAMLError, ValueError) as e:
                # PyYAML raises ValueError for a date like 2025-13-45 while
                # building the value: a finding for that file like any other.
                err(f"YAML: {e}")
                continue
            if not isinstance(fm, dict):
                err("front matter is not a mapping")
                continue
            body = text[end + 5:]
            for key in ("id", "title", "created"):
                if not filled(fm.get(key)):
                    err(f"`{key}` missing")
            tid = str(fm.get("id", ""))
            m = re.match(r"^([A-Za-z][A-Za-z0-9]*-\d+)", name)
            if not id_re.match(tid):
                err(f"id {tid!r} not {prefix}-NNN")
            if not m or m.group(1).upper() != tid.upper():
                err(f"id {tid} does not match file name")
            if tid in seen:
                err(f"duplicate id {tid} (also {seen[tid]})")
            seen[tid] = rel
            if phase is not None:
                for field, frm in required:
                    if phase >= frm and not field_filled(fm, field):
                        err(f"`{field}` required")
            if fm.get("priority") is not None and str(fm["priority"]).lower() not in PRIORITIES:
                err("priority not allowed")
            state = str(fm.get("state", "active")).lower()
            if state not in STATES:
                err("state not allowed")
            elif state not in ("active", "aktiv") and not filled(fm.get("state_reason")):
                err("state_reason missing")
            if fm.get("product_group") is not None and groups and str(fm["product_group"]).lower() not in groups:
                err("product_group not allowed")
            if fm.get("segment") is not None and fm["segment"] not in segments:
                err("segment not allowed")
            for key, allowed in (("sdgs", sdgs), ("strategic_goals", goals)):
                for v in fm.get(key) or []:
                    if v not in allowed:
                        err(f"{key}: {v} not allowed")
            for key, extra in (("status", "reason"), ("risk", "mitigation")):
                v = fm.get(key)
                if isinstance(v, dict):
                    level = str(v.get("level", "")).lower()
                    if level and level not in LEVELS:
                        err(f"{key}.level not allowed")
                    if level in RED_OR_YELLOW and not filled(v.get(extra)):
                        err(f"{key}.{extra} missing for {level}")
            deps += [(rel, str(x)) for x in fm.get("dependencies") or []]
            # Ticked criteria need their evidence.
            secs = sections(body)
            for p in range(0, (phase or 0) + 1):
                items = secs.get(f"{heading}: {phases[p]['name']}")
                if items is None:
                    continue
                for line in items:
                    t = TASK.match(line)
                    if not t or t.group(1) == " ":
                        continue
                    label = t.group(2)
                    if f"— {not_relevant}:" in label:
                        continue
                    check = criteria[p].get(norm(label))
                    if check is None:
                        continue
                    if check.get("field") and not field_filled(fm, check["field"]):
                        err(f"ticked `{label}` but `{check['field']}` is empty")
                    sec = check.get("section")
                    if sec and not "".join(COMMENT.sub("", "\n".join(secs.get(sec, [])))).strip():
                        err(f"ticked `{label}` but section `{sec}` has no content")
    for rel, dep in deps:
        if dep not in seen:
            errors.append(f"{rel}: unknown dependency {dep}")
    for e in errors[:20]:
        print(e, file=sys.stderr)
    print(f"checked {count} tiltak: {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
