#!/usr/bin/env python3
"""Break one tiltak file in ten of a generated portfolio, for the benchmark of
`portfolio check` on a portfolio with findings (issue #16).

    python3 bench/break.py --from target/bench/n10000-c50000-s1/repo \\
        --out target/bench/n10000-c50000-s1/broken [--share 0.1] [--seed 1]

Clones the repository (`git clone --local`, so the history is shared, not
copied), then edits a share of the tiltak files, chosen by the seed, with one
realistic mistake each, in turn: a required field removed, a date that is no
date, a status level or priority that is not allowed, a misspelt key, an ID
that does not match the file name, a section a ticked criterion's evidence
needs removed, a dependency on a tiltak that does not exist, and a YAML syntax
error (an unclosed quote). The edits are committed in one commit, so `check`
(the work tree) and `report` (HEAD) both read them. Same input and seed give
the same result.

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys


def git(cwd: str, *args: str) -> str:
    return subprocess.run(["git", "-C", cwd, *args], check=True, capture_output=True, text=True).stdout


def front_matter_end(lines: list[str]) -> int:
    """Index of the closing `---` line."""
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "---":
            return i
    return len(lines)


def replace_key(lines: list[str], key: str, new: str | None) -> bool:
    """Replace (or, with None, remove) the top-level line `key: …`."""
    end = front_matter_end(lines)
    for i in range(1, end):
        if lines[i].startswith(key + ":"):
            if new is None:
                del lines[i]
            else:
                lines[i] = new
            return True
    return False


def remove_section(lines: list[str], heading: str) -> bool:
    """Remove a `## heading` section up to the next heading."""
    for i, line in enumerate(lines):
        if line.rstrip() == "## " + heading:
            j = i + 1
            while j < len(lines) and not lines[j].startswith("#"):
                j += 1
            del lines[i:j]
            return True
    return False


# Each mistake edits the lines in place and says whether it applied.
def missing_owner(lines, _):
    return replace_key(lines, "owner", None)


def bad_date(lines, _):
    return replace_key(lines, "created", "created: 2024-13-45")


def bad_level(lines, _):
    end = front_matter_end(lines)
    for i in range(1, end):
        if re.match(r"^\s+level:", lines[i]):
            lines[i] = re.sub(r"level:.*", "level: purple", lines[i])
            return True
    return False


def bad_priority(lines, _):
    return replace_key(lines, "priority", "priority: urgent")


def misspelt_key(lines, _):
    end = front_matter_end(lines)
    for i in range(1, end):
        if lines[i].startswith("organization:"):
            lines[i] = "organisation:" + lines[i][len("organization:"):]
            return True
    return False


def wrong_id(lines, _):
    end = front_matter_end(lines)
    for i in range(1, end):
        m = re.match(r"^id: ([A-Z]+)-(\d+)$", lines[i].rstrip())
        if m:
            lines[i] = f"id: {m.group(1)}-{int(m.group(2)) + 900000}"
            return True
    return False


def evidence_removed(lines, _):
    # `Behov er beskrevet` is ticked in every phase past the first; its evidence is the section.
    return remove_section(lines, "Behov")


def unknown_dependency(lines, _):
    if replace_key(lines, "dependencies", "dependencies: [DD-999999]"):
        return True
    end = front_matter_end(lines)
    lines.insert(end, "dependencies: [DD-999999]")
    return True


def yaml_error(lines, _):
    end = front_matter_end(lines)
    for i in range(1, end):
        if lines[i].startswith("title:"):
            lines[i] = 'title: "' + lines[i][len("title:"):].strip()
            return True
    return False


MISTAKES = [missing_owner, bad_date, bad_level, bad_priority, misspelt_key, wrong_id, evidence_removed,
            unknown_dependency, yaml_error]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--from", dest="source", required=True, help="the generated portfolio's repository")
    ap.add_argument("--out", required=True, help="folder for the broken copy (replaced)")
    ap.add_argument("--share", type=float, default=0.1, help="share of tiltak files to break (default 0.1)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    subprocess.run(["git", "clone", "--quiet", "--local", args.source, args.out], check=True)
    files = sorted(
        os.path.join(d, f)
        for d, _, names in os.walk(os.path.join(args.out, "tiltak"))
        for f in names
        if f.endswith(".md")
    )
    rng = random.Random(args.seed)
    chosen = sorted(rng.sample(files, round(len(files) * args.share)))
    applied = {m.__name__: 0 for m in MISTAKES}
    for n, path in enumerate(chosen):
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        # The mistake in turn; the next one that applies when a file lacks what it edits.
        for k in range(len(MISTAKES)):
            mistake = MISTAKES[(n + k) % len(MISTAKES)]
            if mistake(lines, rng):
                applied[mistake.__name__] += 1
                break
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    git(args.out, "add", "-A", "tiltak")
    env = dict(os.environ, GIT_AUTHOR_DATE="2025-12-31T12:00:00", GIT_COMMITTER_DATE="2025-12-31T12:00:00")
    subprocess.run(
        ["git", "-C", args.out, "-c", "user.name=Benchmark", "-c", "user.email=bench@example.org", "commit",
         "--quiet", "-m", f"break {len(chosen)} of {len(files)} tiltak files"],
        check=True, env=env,
    )
    print(f"broke {len(chosen)} of {len(files)} files: " + ", ".join(f"{k} {v}" for k, v in applied.items()),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
