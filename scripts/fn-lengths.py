#!/usr/bin/env python3
"""Longest Rust functions: lines from a `fn` line to the closing brace at
its indentation (rustfmt layout). Usage: scripts/fn-lengths.py [N] FILES…"""
import re
import sys

args = sys.argv[1:]
top = int(args.pop(0)) if args and args[0].isdigit() else 15
rows = []
for path in args:
    lines = open(path, encoding="utf-8").read().split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)(?:pub(?:\([a-z]+\))? )?(?:const )?(?:async )?(?:unsafe )?fn (\w+)", line)
        if not m or line.rstrip().endswith(";"):
            continue
        indent = m.group(1)
        for j in range(i, len(lines)):
            if lines[j] == indent + "}":
                rows.append((j - i + 1, f"{path}:{i + 1}", m.group(2)))
                break
rows.sort(reverse=True)
for n, where, name in rows[:top]:
    print(f"{n:5}  {name}  {where}")
