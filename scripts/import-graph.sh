#!/usr/bin/env bash
# The library's import graph: prints one edge `from to` for each pair of
# modules of src/ where the first names the second (`use crate::to`,
# `crate::to::…`; test code counts, comments do not). A folder module such
# as policy/ is one node. The binary (main.rs, cli, cmd, hints) is left out.
# Exits 1 when the edges form a circle, and names it.
#
#   scripts/import-graph.sh            the edges, sorted
#   scripts/import-graph.sh --count    how many edges
set -euo pipefail
cd "$(dirname "$0")/.."

edges=$(perl -e '
    use strict;
    open(my $lib, "<", "src/lib.rs") or die "src/lib.rs: $!";
    my (%module, %alias);
    while (<$lib>) {
        $module{$1} = 1 if /^\s*(?:pub\s+)?mod\s+(\w+)\s*;/;
        if (/^\s*pub\s+use\s+(\w+)::\{([^}]*)\}/) {
            my $m = $1;
            $alias{$_} = $m for grep { length } map { s/\s//gr } split /,/, $2;
        }
    }
    my %edge;
    for my $m (sort keys %module) {
        my @files = -f "src/$m.rs" ? ("src/$m.rs") : ();
        push @files, split /\n/, `find src/$m -name "*.rs" 2>/dev/null | sort` if -d "src/$m";
        for my $f (@files) {
            open(my $fh, "<", $f) or die "$f: $!";
            my $text = join "", grep { !m{^\s*//} } <$fh>;
            my @names;
            # use crate::{a, b::c, d::{e, f}}: the names at the first level.
            while ($text =~ /\bcrate::\{/g) {
                my ($depth, $word, $start) = (1, "", 1);
                my $i = pos($text);
                while ($depth > 0 && $i < length $text) {
                    my $c = substr($text, $i++, 1);
                    if ($depth == 1 && $start && $c =~ /\w/) { $word .= $c; next }
                    if (length $word) { push @names, $word; $word = ""; $start = 0 }
                    if ($c eq "{") { $depth++ } elsif ($c eq "}") { $depth-- }
                    if ($depth == 1 && $c eq ",") { $start = 1 }
                    elsif ($c !~ /\s/) { $start = 0 }
                }
            }
            push @names, $1 while $text =~ /\bcrate::(\w+)/g;
            for my $n (@names) {
                my $to = $module{$n} ? $n : $alias{$n};
                $edge{"$m $to"} = 1 if defined $to && $to ne $m;
            }
        }
    }
    print "$_\n" for sort keys %edge;
')

if [ "${1:-}" = "--count" ]; then
    printf '%s\n' "$edges" | grep -c . || true
else
    printf '%s\n' "$edges"
fi
# tsort names the modules of each circle it finds.
if ! out=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null); then
    echo "import circle among:" $(printf '%s\n' "$out" | grep -v 'input contains a loop' | sed 's/^tsort: //' | sort -u) >&2
    exit 1
fi
