#!/usr/bin/env python3
"""Scale the shipped GitHub export up to COUNT issues, for the import benchmark.

    bench/github_issues.py --count 1000 --out target/bench/issues-1000.json

Each issue is a copy of one in examples/import/github/issues.json (taken in
turn) with its own number, URL, title and creation date, so the map in
examples/import/github/map.yaml imports all of them. `gh issue list` stops at
`--limit 1000`; larger counts are for growth measurements only.
"""
import argparse
import datetime
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "examples/import/github/issues.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    base = json.loads(SOURCE.read_text(encoding="utf-8"))
    start = datetime.datetime(2023, 1, 2, 9, 0, 0)
    issues = []
    for n in range(args.count):
        issue = json.loads(json.dumps(base[n % len(base)]))
        number = 1000 + n
        issue["number"] = number
        issue["url"] = f"https://github.com/digdir/portfolio/issues/{number}"
        issue["title"] = f"{issue['title']} ({n // len(base) + 1})"
        created = start + datetime.timedelta(hours=7 * n)
        issue["createdAt"] = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        if issue.get("closedAt"):
            issue["closedAt"] = (created + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        issues.append(issue)
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(issues, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
