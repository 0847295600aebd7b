#!/usr/bin/env python3
"""Reference segmenter for bench/seg.sh: pysbd, stdin -> one sentence a line.

Usage: seg_pysbd.py LANG < raw.txt. Paragraphs (blank-line separated) are segmented one by one,
as qantara does, so neither tool is asked to find paragraph ends."""
import sys

import pysbd

lang = sys.argv[1]
seg = pysbd.Segmenter(language=lang, clean=False)
text = sys.stdin.read()
out = []
for para in text.split('\n\n'):
    for line in para.split('\n'):
        if line.strip():
            out.extend(s.strip() for s in seg.segment(line) if s.strip())
sys.stdout.write(''.join(s.replace('\n', ' ') + '\n' for s in out))
