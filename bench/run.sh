#!/usr/bin/env bash
# Benchmarks for issue #5: `portfolio check`, `report`, `report --since`,
# `site` and `advance` on synthetic portfolios, beside baselines measured in the same run.
#
#   bench/run.sh [--sizes "1000 10000"] [--runs 5] [--seed 1]
#
# --runs takes one count, or one per size ("5 5 1" with --sizes
# "1000 10000 30000": the largest size once, after its warm-up run).
#
# PORTFOLIO_BIN=/path/to/portfolio skips building the main crate and times
# that binary instead. BENCH_TIMER=python uses the getrusage wrapper even
# where /usr/bin/time exists.
#
# Builds the tool and bench/parse-floor in release mode, generates (or reuses)
# the portfolios under target/bench/ (C = 5 × N commits), warms the page cache
# with one untimed run of each command, then times each command --runs times
# and reports the median wall time and the peak RSS. Results go to stdout and
# target/bench/results.md. See BENCHMARKS.md.
set -euo pipefail

SIZES="1000 10000"
RUNS=5
SEED=1
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
BIN="${PORTFOLIO_BIN:-$ROOT/target/release/portfolio}"
FLOOR_TARGET="$OUT/parse-floor-target"
FLOOR="$FLOOR_TARGET/release/parse-floor"
# The same floor on the allocator the tool uses (mimalloc, its purge delay
# as the tool sets it): the target is against the plain floor above; this
# one shows how much of the margin is the allocator.
FLOOR_MI_TARGET="$OUT/parse-floor-mimalloc-target"
FLOOR_MI="$FLOOR_MI_TARGET/release/parse-floor"
export LC_ALL=C.UTF-8 NO_COLOR=1 GIT_CONFIG_NOSYSTEM=1 GIT_PAGER=cat PAGER=cat

log() { printf '%s\n' "$*" >&2; }

log "== building"
[ -n "${PORTFOLIO_BIN:-}" ] || (cd "$ROOT" && cargo build --release --quiet)
cargo build --release --quiet --manifest-path "$ROOT/bench/parse-floor/Cargo.toml" --target-dir "$FLOOR_TARGET"
cargo build --release --quiet --manifest-path "$ROOT/bench/parse-floor/Cargo.toml" --target-dir "$FLOOR_MI_TARGET" --features mimalloc
# Time a private copy: a rebuild of target/release during the run must not
# change the binary between runs.
cp "$BIN" "$OUT/portfolio"
BIN_VERSION=$("$BIN" --version)
BIN="$OUT/portfolio"

# --- timing -----------------------------------------------------------------
# timed CMD…: run once, append "seconds maxrss_kb" to $SAMPLES, keep the exit
# code in $STATUS and stderr in $ERRFILE.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ERRFILE="$TMP/stderr"
GROWTH="$TMP/growth"
: >"$GROWTH"
if [ -x /usr/bin/time ] && [ "${BENCH_TIMER:-}" != python ]; then
    timed() {
        local t0 t1
        set +e
        t0=$EPOCHREALTIME
        /usr/bin/time -f '%M' -o "$TMP/time" "$@" >/dev/null 2>"$ERRFILE"
        STATUS=$?
        t1=$EPOCHREALTIME
        set -e
        # Wall time from bash's microsecond clock (%e has 10 ms steps); RSS from time(1).
        echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') $(tail -n 1 "$TMP/time")" >>"$SAMPLES"
    }
else
    cat >"$TMP/time.py" <<'PY'
import resource, subprocess, sys, time
t = time.perf_counter()
with open(sys.argv[2], "wb") as err:
    rc = subprocess.call(sys.argv[3:], stdout=subprocess.DEVNULL, stderr=err)
e = time.perf_counter() - t
with open(sys.argv[1], "w") as f:
    f.write(f"{e:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\n")
sys.exit(rc)
PY
    timed() {
        set +e
        python3 "$TMP/time.py" "$TMP/time" "$ERRFILE" "$@"
        STATUS=$?
        set -e
        cat "$TMP/time" >>"$SAMPLES"
    }
fi

# measure KEY RESET CMD…: one untimed warm-up run, then $RUNS timed runs; RESET
# (a shell snippet, may be empty) runs before each. Sets RESULT[KEY] to
# "median_s peak_rss_mb", or "n/a" when the command does not exist yet.
declare -A RESULT
measure() {
    local key=$1 reset=$2
    shift 2
    SAMPLES="$TMP/samples"
    : >"$SAMPLES"
    [ -n "$reset" ] && eval "$reset"
    timed "$@"
    if [ "$STATUS" = 2 ] && grep -qi "unrecognized subcommand" "$ERRFILE"; then
        RESULT[$key]="n/a"
        log "   $key: n/a (not implemented)"
        return
    fi
    if [ "$STATUS" -gt 1 ]; then
        RESULT[$key]="fail"
        log "   $key: FAILED (exit $STATUS): $(head -c 400 "$ERRFILE")"
        return
    fi
    : >"$SAMPLES"
    for _ in $(seq "$RUNS"); do
        [ -n "$reset" ] && eval "$reset"
        timed "$@"
    done
    [ -n "$reset" ] && eval "$reset"
    RESULT[$key]=$(sort -n -k1,1 "$SAMPLES" | awk '{ t[NR] = $1; if ($2 > m) m = $2 }
        END { med = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
              printf "%.3f %.1f", med, m / 1024 }')
    log "   $key: ${RESULT[$key]} (exit $STATUS)"
}

# pair KEY A B: the commands A and B (shell words, evaluated) run in turn,
# A B A B …, $PAIR_RUNS times each after a warm-up run of each. PAIRED[KEY]
# is the median of the ratios A/B taken pair by pair: a drift in the
# machine's speed (other tenants) moves both runs of a pair, so the ratio
# holds where two medians taken minutes apart do not.
PAIR_RUNS=${PAIR_RUNS:-11}
declare -A PAIRED
pair() {
    local key=$1 a=$2 b=$3 ratios=() ta tb
    SAMPLES="$TMP/pair"
    eval "timed $a"
    eval "timed $b"
    for _ in $(seq "$PAIR_RUNS"); do
        : >"$SAMPLES"
        eval "timed $a"
        eval "timed $b"
        ta=$(sed -n 1p "$SAMPLES" | cut -d' ' -f1)
        tb=$(sed -n 2p "$SAMPLES" | cut -d' ' -f1)
        ratios+=("$(awk -v a="$ta" -v b="$tb" 'BEGIN { printf "%.4f", (b > 0) ? a / b : 0 }')")
    done
    PAIRED[$key]=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 }
        END { printf "%.2f", (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }')
    log "   $key: ${PAIRED[$key]}× (paired, $PAIR_RUNS pairs)"
}
paired() { # key label → "1.23× label, paired"
    local p=${PAIRED[$1]:-}
    [ -n "$p" ] && echo "**${p}× $2, paired ($PAIR_RUNS pairs)**" || echo "–"
}

# --- the benchmark ----------------------------------------------------------
GEN_HASH=$(cat "$ROOT/bench/generate.py" "$ROOT/src/domain/templates/digdir.yaml" | sha1sum | cut -c1-12)
REPORT="$OUT/results.md"
{
    echo "## Results"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- tool: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || echo ' (+ uncommitted changes)'), $BIN_VERSION"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo)"
    echo "- $(git --version), Python $(python3 -c 'import platform; print(platform.python_version())'), PyYAML $(python3 -c 'import yaml; print(yaml.__version__, "(libyaml)" if yaml.__with_libyaml__ else "(pure Python)")')"
    echo "- runs: $RUNS per command (median wall time; peak RSS over the runs; one count per size when several are given), after one untimed warm-up run"
    echo "- paired: the ratios in bold ran their two commands in turn, $PAIR_RUNS pairs after a warm-up of each, and are the median of the pairs' ratios (\`PAIR_RUNS\`)"
    echo
} >"$REPORT"

row() { # label key ratio-text target
    local r=${RESULT[$2]}
    if [ "$r" = "n/a" ] || [ "$r" = "fail" ]; then
        echo "| $1 | $r | $r | $3 | $4 |"
    else
        echo "| $1 | ${r% *} | ${r#* } | $3 | $4 |"
    fi
}
ratio() { # key base-key label → "1.23× label"
    local a=${RESULT[$1]} b=${RESULT[$2]}
    case "$a $b" in *n/a*|*fail*) echo "–"; return ;; esac
    awk -v a="${a% *}" -v b="${b% *}" -v l="$3" -v f="${4:-}" 'BEGIN {
        if (f == "faster") { if (a > 0) printf "%.1f× faster than %s", b / a, l; else print "–" }
        else if (b > 0) printf "%.2f× %s", a / b, l; else print "–" }'
}
faster() { ratio "$1" "$2" "$3" faster; } # key base-key label → "12.3× faster than label"

ALL_RUNS=($RUNS)
SIZE_INDEX=0
for N in $SIZES; do
    RUNS=${ALL_RUNS[$SIZE_INDEX]:-${ALL_RUNS[-1]}}
    SIZE_INDEX=$((SIZE_INDEX + 1))
    C=$((5 * N))
    DIR="$OUT/n$N-c$C-s$SEED"
    REPO="$DIR/repo"
    META="$DIR/bench-meta.json"
    if [ ! -f "$META" ] || [ "$(cat "$DIR/generator" 2>/dev/null)" != "$GEN_HASH" ]; then
        log "== generating N=$N C=$C seed=$SEED"
        mkdir -p "$DIR"
        python3 "$ROOT/bench/generate.py" --tiltak "$N" --commits "$C" --seed "$SEED" --out "$REPO" --meta "$META" --force >&2
        echo "$GEN_HASH" >"$DIR/generator"
    fi
    m() { python3 -c "import json,sys; print(json.load(open('$META'))[sys.argv[1]])" "$1"; }
    HEAD=$(m head)
    export PORTFOLIO_TODAY=$(m last_commit_date)
    SINCE=$(m since_date)
    READY=$(m ready_id)
    READY_PATH=$(m ready_path)
    READY_NEXT=$(m ready_next_path)
    RESET="git -C '$REPO' reset -q --hard $HEAD && git -C '$REPO' clean -qfd"
    eval "$RESET"
    log "== N=$N C=$C (today $PORTFOLIO_TODAY, since $SINCE, advance $READY)"

    measure cat "" bash -c "cd '$REPO' && find tiltak -name '*.md' -print0 | xargs -0 cat >/dev/null"
    measure floor1 "" "$FLOOR" --threads 1 "$REPO"
    measure floor2 "" "$FLOOR" --threads 2 "$REPO"
    measure floor2mi "" env MIMALLOC_PURGE_DELAY=5 "$FLOOR_MI" --threads 2 "$REPO"
    measure python "" python3 "$ROOT/bench/check.py" "$REPO"
    measure check "" "$BIN" -C "$REPO" check
    measure report "" "$BIN" -C "$REPO" report --format json
    measure html "" "$BIN" -C "$REPO" report --format html --output "$DIR/report.html"
    measure site "" "$BIN" -C "$REPO" site --output "$DIR/site"
    measure lognr "" bash -c "git -C '$REPO' log --name-status --no-renames -- tiltak/ >/dev/null"
    measure logm "" bash -c "git -C '$REPO' log --name-status -M -- tiltak/ >/dev/null"
    measure since "" "$BIN" -C "$REPO" report --since "$SINCE" --format json
    measure agenda "" "$BIN" -C "$REPO" agenda --since "$SINCE" --format json
    measure log "" "$BIN" -C "$REPO" log --since "$SINCE" --format json
    # --- issue #16 part A: check on a broken portfolio, list, board ----------
    # One tiltak file in ten broken (bench/break.py, a clone sharing the
    # history, one commit on top), with the Python baseline on the same files.
    BROKEN="$DIR/broken"
    if [ ! -d "$BROKEN" ] || [ "$(cat "$DIR/broken.generator" 2>/dev/null)" != "$GEN_HASH $(sha1sum <"$ROOT/bench/break.py" | cut -c1-12)" ]; then
        python3 "$ROOT/bench/break.py" --from "$REPO" --out "$BROKEN" --share 0.1 --seed "$SEED" >&2
        echo "$GEN_HASH $(sha1sum <"$ROOT/bench/break.py" | cut -c1-12)" >"$DIR/broken.generator"
    fi
    measure floor2b "" "$FLOOR" --threads 2 "$BROKEN"
    measure checkb "" "$BIN" -C "$BROKEN" check
    measure pythonb "" python3 "$ROOT/bench/check.py" "$BROKEN"
    measure list "" "$BIN" -C "$REPO" list --format json
    measure board "" "$BIN" -C "$REPO" board
    # --- end of issue #16 part A ---------------------------------------------
    # --- history, cold and warm (issue #16 part B) ---------------------------
    # Cold: no history cache, as on every CI run of a fresh clone (RESET
    # deletes it before each run). Warm (`since`, `round`, `agenda`, `log`
    # above): the cache the warm-up run wrote.
    COLD="rm -rf '$REPO/.git/portfolio'"
    measure since_cold "$COLD" "$BIN" -C "$REPO" report --since "$SINCE" --format json
    measure report_cold "$COLD" "$BIN" -C "$REPO" report --format json
    measure check_base "" "$BIN" -C "$REPO" check --base HEAD~20
    # The three ratios nearest their targets, paired (see `pair`).
    pair check "'$BIN' -C '$REPO' check" "'$FLOOR' --threads 2 '$REPO'"
    pair report "'$BIN' -C '$REPO' report --format json" "'$FLOOR' --threads 2 '$REPO'"
    pair since "'$BIN' -C '$REPO' report --since '$SINCE' --format json" "'$BIN' -C '$REPO' report --format json"
    # --- end of the history block ---------------------------------------------
    # `round` needs a round: one opened on top of the generated history (a
    # commit that edits portfolio.yaml), taken away again by the next RESET.
    "$BIN" -C "$REPO" round open BENCH-1 --opens "$SINCE" --due "$PORTFOLIO_TODAY" -q >/dev/null
    measure round "" "$BIN" -C "$REPO" round --format json
    measure gitmv "$RESET" bash -c "git -C '$REPO' mv '$READY_PATH' '$READY_NEXT' && git -C '$REPO' commit -q -m 'advance $READY'"
    measure advance "$RESET" "$BIN" -C "$REPO" advance "$READY" --by Benchmark

    {
        echo "### N = $N tiltak, C = $C commits"
        echo
        echo "| command | median s | peak RSS MB | ratio | target |"
        echo "|---|---:|---:|---|---|"
        row "\`portfolio check\`" check "$(paired check 'parse floor (2 cores)'); $(ratio check floor2 'parse floor (2 cores)'); $(faster check python 'Python'); $(ratio check floor2mi 'the floor on mimalloc')" "≤ 1.25× parse floor (2 cores); ≥ 15× faster than Python"
        row "\`portfolio report --format json\`" report "$(paired report 'parse floor (2 cores)'); $(ratio report floor2 'parse floor (2 cores)'); $(ratio report floor2mi 'the floor on mimalloc')" "≤ 1.5× parse floor (2 cores)"
        row "\`portfolio report --format html\`" html "" ""
        row "\`portfolio site\` (every page)" site "$(ratio site html 'report --format html')" "≤ 3× report --format html"
        row "\`portfolio report --since $SINCE --format json\`" since "$(ratio since lognr 'git log --no-renames'); $(ratio since logm 'git log -M')" "≤ 1× git log --no-renames; ≤ 0.1× git log -M (≥ 10× faster)"
        row "\`portfolio round --format json\`" round "$(ratio round check 'portfolio check')" "≤ 1× portfolio check"
        row "\`portfolio agenda --since $SINCE --format json\`" agenda "$(ratio agenda since 'report --since')" "≤ 1× report --since"
        row "\`portfolio log --since $SINCE --format json\`" log "$(ratio log since 'report --since')" "≤ 1× report --since"
        # --- issue #16 part A ---
        row "\`portfolio check\`, one file in ten broken" checkb "$(ratio checkb floor2b 'parse floor (2 cores)'); $(faster checkb pythonb 'Python')" "≤ 2× parse floor (2 cores)"
        row "\`portfolio list --format json\`" list "$(ratio list floor2 'parse floor (2 cores)')" "≤ 1.25× parse floor (2 cores)"
        row "\`portfolio board\`" board "$(ratio board floor2 'parse floor (2 cores)')" "≤ 1.5× parse floor (2 cores)"
        # --- end of issue #16 part A ---
        # --- history, cold and warm (issue #16 part B) -----------------------
        row "\`portfolio report --since $SINCE --format json\`, cold (no cache)" since_cold "$(ratio since_cold lognr 'git log --no-renames')" "≤ 1× git log --no-renames"
        row "\`portfolio report --format json\`, cold (no cache)" report_cold "$(ratio report_cold lognr 'git log --no-renames')" "≤ 1× git log --no-renames"
        row "\`portfolio report --since $SINCE --format json\`, warm, against the HEAD report" since "$(paired since 'report (HEAD)'); $(ratio since report 'report (HEAD)')" "≤ 1.5× report (HEAD)"
        row "\`portfolio check --base HEAD~20\`" check_base "$(ratio check_base check 'portfolio check')" "≤ 1.25× portfolio check"
        # --- end of the history block -----------------------------------------
        row "\`portfolio advance $READY\`" advance "$(ratio advance gitmv 'git mv + commit')" "≤ 2× git mv + commit"
        row "baseline: \`cat\` every tiltak file (I/O floor)" cat "" ""
        row "baseline: parse floor, 1 thread" floor1 "" ""
        row "baseline: parse floor, 2 threads" floor2 "" ""
        row "baseline: parse floor, 2 threads, on mimalloc (the tool's allocator)" floor2mi "" ""
        row "baseline: \`python3 bench/check.py\` (PyYAML C loader)" python "" ""
        row "baseline: parse floor, 2 threads, one file in ten broken" floor2b "" ""
        row "baseline: \`python3 bench/check.py\`, one file in ten broken" pythonb "" ""
        row "baseline: \`git log --name-status --no-renames -- tiltak/\`" lognr "" ""
        row "baseline: \`git log --name-status -M -- tiltak/\`" logm "" ""
        row "baseline: \`git mv\` + \`git commit\` of one file" gitmv "" ""
        echo
        echo "Peak RSS target: ≤ 100 MB for every \`portfolio\` command."
        echo
    } >>"$REPORT"
    # --- growth: every key's result at this size, for the table after the loop
    for key in "${!RESULT[@]}"; do
        echo "$N $C $key ${RESULT[$key]}" >>"$GROWTH"
    done
done

RUNS=${ALL_RUNS[0]}

# --- import (issue #15) -----------------------------------------------------
# `gh issue list --limit 1000` is the largest export GitHub's CLI writes: the
# shipped export scaled to 1 000 issues, imported into a fresh digdir
# portfolio, beside writing the same files and committing them with git.
IMPORT_DIR="$OUT/import"
rm -rf "$IMPORT_DIR" && mkdir -p "$IMPORT_DIR"
python3 "$ROOT/bench/github_issues.py" --count 1000 --out "$IMPORT_DIR/issues.json"
IREPO="$IMPORT_DIR/repo"
git init -q "$IREPO"
(cd "$IREPO" && "$BIN" init --template digdir --name Benchmark >/dev/null && git add -A && git commit -q -m "Start the portfolio")
IBASE=$(git -C "$IREPO" rev-parse HEAD)
IRESET="git -C '$IREPO' reset -q --hard $IBASE && git -C '$IREPO' clean -qfdx"
eval "$IRESET"
"$BIN" -C "$IREPO" import github "$IMPORT_DIR/issues.json" --map "$ROOT/examples/import/github/map.yaml" >/dev/null
cp -r "$IREPO/tiltak" "$IMPORT_DIR/imported"
eval "$IRESET"
log "== import: 1 000 GitHub issues"
measure importdry "$IRESET" "$BIN" -C "$IREPO" import github "$IMPORT_DIR/issues.json" --map "$ROOT/examples/import/github/map.yaml" --dry-run
measure import "$IRESET" "$BIN" -C "$IREPO" import github "$IMPORT_DIR/issues.json" --map "$ROOT/examples/import/github/map.yaml"
measure gitadd "$IRESET" bash -c "cp -r '$IMPORT_DIR/imported/.' '$IREPO/tiltak/' && git -C '$IREPO' add tiltak && git -C '$IREPO' commit -q -m import"
{
    echo "### Import: 1 000 GitHub issues into a new digdir portfolio"
    echo
    echo "| command | median s | peak RSS MB | ratio | target |"
    echo "|---|---:|---:|---|---|"
    row "\`portfolio import github issues.json --map map.yaml --dry-run\`" importdry "$(ratio importdry gitadd 'copy + git add + commit')" ""
    row "\`portfolio import github issues.json --map map.yaml\` (one commit)" import "$(ratio import gitadd 'copy + git add + commit')" "≤ 2× copy + git add + commit"
    row "baseline: copy the same 1 000 files, \`git add\`, \`git commit\`" gitadd "" ""
    echo
} >>"$REPORT"

# --- national report (issue #13) --------------------------------------------
# Ten generated N=1000 portfolios under $OUT/national/, each its own agency
# (its own ID prefix, name and seed: no ID shared), one national.yaml over
# them: `report --format json` on it beside the ten single reports run one
# after the other (target: national ≤ 1.2× their sum, every command ≤ 100 MB).
case " $SIZES " in *" 1000 "*)
    NAT="$OUT/national"
    mkdir -p "$NAT"
    PREFIXES=(NV SK BR DI HD KV LD UD PO SV)
    {
        echo "name: Ti etater"
        echo "portfolios:"
        for i in $(seq 10); do
            [ -d "$NAT/p$i" ] || python3 "$ROOT/bench/generate.py" --tiltak 1000 --seed "$i" \
                --prefix "${PREFIXES[$((i - 1))]}" --name "Etat $i" --out "$NAT/p$i" >&2
            echo "  - path: p$i"
        done
    } >"$NAT/national.yaml"
    export PORTFOLIO_TODAY=$(python3 -c "import json; print(json.load(open('$NAT/p1.bench-meta.json'))['last_commit_date'])")
    log "== national: ten agencies of N=1000"
    measure national "" "$BIN" -C "$NAT" report --format json
    measure singles "" bash -c "for i in \$(seq 10); do '$BIN' -C '$NAT/p'\$i report --format json >/dev/null || exit 2; done"
    measure ncheck "" "$BIN" -C "$NAT" check
    measure nlist "" "$BIN" -C "$NAT" list
    measure nboard "" "$BIN" -C "$NAT" board
    {
        echo "### National report: ten agencies of N = 1000"
        echo
        echo "| command | median s | peak RSS MB | ratio | target |"
        echo "|---|---:|---:|---|---|"
        row "\`portfolio report --format json\` on national.yaml (10 × 1000 tiltak)" national "$(ratio national singles 'the ten single reports')" "≤ 1.2× the ten single reports, ≤ 100 MB"
        row "baseline: the ten single \`report --format json\`, one after the other" singles "" ""
        row "\`portfolio check\` on national.yaml" ncheck "" "≤ 100 MB"
        row "\`portfolio list\` on national.yaml" nlist "" "≤ 100 MB"
        row "\`portfolio board\` on national.yaml" nboard "" "≤ 100 MB"
        echo
    } >>"$REPORT"
    ;;
esac

# --- growth (issue #16) -----------------------------------------------------
# The exponent k of each command's cost in t ∝ N^k (C = 5 × N grows with it):
# the least-squares slope of log t against log N over the sizes run, and the
# same for peak RSS. 1 is linear; above about 1.1 is worse than linear.
SIZE_COUNT=$(echo $SIZES | wc -w)
if [ "$SIZE_COUNT" -ge 2 ]; then
    python3 - "$GROWTH" >>"$REPORT" <<'PY'
import math, sys
rows = {}
for line in open(sys.argv[1]):
    n, c, key, *rest = line.split()
    if len(rest) == 2:
        rows.setdefault(key, {})[int(n)] = (float(rest[0]), float(rest[1]))
sizes = sorted({n for r in rows.values() for n in r})
def slope(points):
    points = [(math.log(x), math.log(y)) for x, y in points if y > 0]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    d = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / d if d else None
print("### Growth: cost exponent k in t ∝ N^k (C = 5 × N)")
print()
print("| key | " + " | ".join(f"s at N={n}" for n in sizes) + " | k (time) | " + " | ".join(f"MB at N={n}" for n in sizes) + " | k (RSS) |")
print("|---|" + "---:|" * (2 * len(sizes) + 2))
fmt = lambda v: "–" if v is None else f"{v:.2f}"
for key in sorted(rows):
    r = rows[key]
    if len(r) < 2:
        continue
    t = [r[n][0] if n in r else None for n in sizes]
    m = [r[n][1] if n in r else None for n in sizes]
    kt = slope([(n, r[n][0]) for n in sizes if n in r])
    km = slope([(n, r[n][1]) for n in sizes if n in r])
    print(f"| {key} | " + " | ".join("–" if v is None else f"{v:.3f}" for v in t) + f" | {fmt(kt)} | "
          + " | ".join("–" if v is None else f"{v:.0f}" for v in m) + f" | {fmt(km)} |")
print()
print("Keys are the names used in `measure` in bench/run.sh. Times under about 20 ms are dominated by process start and give no exponent worth reading.")
print()
PY
fi

cat "$REPORT"
log "written to $REPORT"
