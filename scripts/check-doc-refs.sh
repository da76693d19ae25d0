#!/usr/bin/env bash
# Fails when a document names a file of this repository that does not exist.
#
#   scripts/check-doc-refs.sh                 # the documents below, in this repository
#   scripts/check-doc-refs.sh FILE...         # only these files (e.g. $(git ls-files tests))
#   scripts/check-doc-refs.sh --root DIR ...  # another tree (the checker's own test)
#
# Documents: every tracked Markdown file (README.md, CHANGELOG.md, docs/*.md,
# the npm READMEs, the fixture folders' READMEs), the comments of src/**/*.rs,
# tests/**/*.rs and scripts/* (a Python script's docstrings too), and the
# comments of Cargo.toml, .cargo/config.toml and .ci/run. What counts as a reference:
#
# - a Markdown link target, `[text](path#anchor)`, relative to the document's
#   folder; a `#anchor` into a Markdown file must name one of its headings
#   (GitHub's slugs);
# - a path that starts with a top-level folder of the repository (src/, tests/,
#   docs/, scripts/, fixtures/, benches/, fuzz/, npm/, .ci/, .cargo/), or with
#   ../ followed by one, relative to the repository (or to the document's
#   folder for ../);
# - a bare upper-case Markdown name (`PLATFORM.md`), looked for beside the
#   document, at the top and in docs/;
# - a bare source file name (`keygen.rs`, `bench.sh`, `ui_browser.py`): some
#   tracked file must have that name (a renamed module leaves its old name
#   behind in prose).
#
# Not references: paths with a placeholder (`tests/cmd/<command>/`,
# `fuzz/artifacts/TARGET/` under an ignored folder), paths git ignores
# (target/, dist/, fuzz/corpus/), NEXT-STEPS.md (the file `uvtool init`
# writes), paths in an inline git command (`git log -p -- OLD.md` names a
# file of the past), and, inside fenced code blocks, anything but scripts/ (a code block
# is a command run in the reader's project, whose folders are not ours; the
# repository's own scripts are the exception).
#
# Prints FILE:LINE: PATH: what is wrong, one line each, and a summary; exits
# 1 when a reference does not resolve, 2 on a usage error. Needs python3
# (scripts/test.sh already does); runs in well under a second.
set -euo pipefail
root=
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --root)
      [ $# -ge 2 ] || { echo "usage: scripts/check-doc-refs.sh [--root DIR] [FILE...]" >&2; exit 2; }
      root=$2
      shift 2
      ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    -*) echo "usage: scripts/check-doc-refs.sh [--root DIR] [FILE...]" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
[ -n "$root" ] || root="$(cd "$(dirname "$0")/.." && pwd)"
[ -d "$root" ] || { echo "check-doc-refs: $root is not a folder" >&2; exit 2; }
exec python3 - "$root" "${files[@]}" <<'EOF'
import os, re, subprocess, sys

root = os.path.abspath(sys.argv[1])
asked = sys.argv[2:]

def git(*args):
    try:
        r = subprocess.run(["git", "-C", root, *args], capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return r.stdout if r.returncode == 0 else None

listed = git("ls-files", "-co", "--exclude-standard")
if listed is not None:
    tracked = [p for p in listed.splitlines() if os.path.exists(os.path.join(root, p))]
else:  # not a git checkout: every file but build output
    tracked = []
    for d, dirs, names in os.walk(root):
        dirs[:] = [x for x in dirs if x not in (".git", "target", "node_modules", ".venv")]
        tracked += [os.path.relpath(os.path.join(d, n), root) for n in names]
basenames = {os.path.basename(p) for p in tracked}

def ignored(rel):
    if listed is None:
        return rel.split("/")[0] in ("target", "dist")
    r = subprocess.run(["git", "-C", root, "check-ignore", "-q", "--no-index", rel])
    return r.returncode == 0

if asked:
    docs = [os.path.relpath(os.path.abspath(p), root) for p in asked]
else:
    docs = [p for p in tracked if p.endswith(".md") and not p.startswith(("fuzz/corpus/", "tests/cmd/"))]
    docs += [p for p in tracked if p.startswith(("src/", "tests/")) and p.endswith(".rs")]
    docs += [p for p in tracked if p.startswith("scripts/")]
    docs += [p for p in (".cargo/config.toml", "Cargo.toml", ".ci/run") if p in tracked]
docs = sorted(set(docs))

TOP = r"(?:src|tests|docs|scripts|fixtures|benches|fuzz|npm|\.ci|\.cargo)"
PATH = re.compile(r"(?<![\w./@~$-])((?:\.\./)*" + TOP + r"/[\w./-]*)")
BARE_MD = re.compile(r"(?<![\w./-])([A-Z][A-Z0-9_-]*\.md)\b")
BARE_SRC = re.compile(r"(?<![\w./-])([\w-]+\.(?:rs|sh|py))\b(?![\w/])")
LINK = re.compile(r"\]\(([^)\s]+)\)")
NOT_FILES = {"NEXT-STEPS.md"}
GIT_SPAN = re.compile(r"`git [^`]*`")  # `git log -- OLD.md` names history

def slugs(rel):
    out, seen, fence = set(), {}, False
    with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.lstrip().startswith("```"):
                fence = not fence
            if fence or not line.startswith("#"):
                continue
            text = line.lstrip("#").strip()
            text = re.sub(r"`([^`]*)`", r"\1", text)
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
            s = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
            n = seen.get(s, 0)
            seen[s] = n + 1
            out.add(s if n == 0 else f"{s}-{n}")
    return out

def comment_lines(rel):
    """(line number, text) of the lines a reader reads in this file."""
    with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    if rel.endswith(".md"):
        fence = False
        for i, line in enumerate(lines, 1):
            if line.lstrip().startswith(("```", "~~~")):
                fence = not fence
                continue
            yield i, line, fence
    elif rel.endswith(".rs"):
        for i, line in enumerate(lines, 1):
            s = line.lstrip()
            if s.startswith("//"):
                yield i, s, False
    else:  # shell, Python, TOML, requirements: comments; Python: """text""" too
        text = False  # inside a triple-quoted string (docstrings, a README it writes)
        for i, line in enumerate(lines, 1):
            s = line.lstrip()
            quotes = s.count('"' * 3) if rel.endswith(".py") else 0
            if text or quotes or (s.startswith("#") and not s.startswith("#!")):
                yield i, s, False
            if quotes % 2:
                text = not text

def exists(path):
    return os.path.exists(os.path.join(root, path))

broken, count = [], 0
for rel in docs:
    if not os.path.isfile(os.path.join(root, rel)):
        print(f"check-doc-refs: {rel}: no such file", file=sys.stderr)
        sys.exit(2)
    here = os.path.dirname(rel)
    for n, line, fence in comment_lines(rel):
        line = GIT_SPAN.sub("", line)
        refs = []  # (as written, path relative to root or None when the check is by name)
        if rel.endswith(".md") and not fence:
            for m in LINK.finditer(line):
                t = m.group(1).strip("<>")
                if re.match(r"^[a-z][a-z0-9+.-]*:", t, re.I):
                    continue
                path, _, anchor = t.partition("#")
                target = os.path.normpath(os.path.join(here, path)) if path else rel
                refs.append((t, target, anchor))
        for m in PATH.finditer(line):
            p = m.group(1).rstrip(".")
            after = line[m.end():m.end() + 1]
            if after in ("<", "*", "{") or "<" in p:
                continue
            if fence and not p.startswith("scripts/"):
                continue
            base = here if p.startswith("../") else ""
            refs.append((p, os.path.normpath(os.path.join(base, p)), ""))
        if not fence:
            for m in BARE_MD.finditer(line):
                name = m.group(1)
                if name in NOT_FILES:
                    continue
                where = [os.path.normpath(os.path.join(here, name)), name, "docs/" + name]
                hit = next((w for w in where if exists(w)), where[0])
                refs.append((name, hit, ""))
            for m in BARE_SRC.finditer(line):
                refs.append((m.group(1), None, ""))
        for shown, target, anchor in refs:
            count += 1
            if target is None:  # a bare source file name
                if shown not in basenames:
                    broken.append(f"{rel}:{n}: {shown}: no tracked file has this name")
                continue
            if target.startswith(".."):
                broken.append(f"{rel}:{n}: {shown}: points outside the repository")
                continue
            if not exists(target):
                if ignored(target):
                    continue
                broken.append(f"{rel}:{n}: {shown}: no such file or folder")
            elif anchor and target.endswith(".md") and os.path.isfile(os.path.join(root, target)):
                if anchor.lower() not in slugs(target):
                    broken.append(f"{rel}:{n}: {shown}: {target} has no heading #{anchor}")

for b in broken:
    print(b)
sys.stdout.flush()
print(f"check-doc-refs: {count} references in {len(docs)} files, {len(broken)} broken",
      file=sys.stderr)
sys.exit(1 if broken else 0)
EOF
