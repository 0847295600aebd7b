#!/usr/bin/env python3
"""Reference segmenters for bench/seg.sh, stdin -> one sentence a line.

Usage: seg_reference.py pysbd|moses LANG < raw.txt
  pysbd  pip install pysbd           (Sadvilkar and Neumann 2020; the issue's French anchor)
  moses  pip install sentence-splitter (the Moses-style splitter; the issue's English anchor;
         it has no Arabic rules, so Arabic runs with its English ones)
Paragraphs (blank-line separated) and lines are segmented one by one, as qantara does, so no
tool is asked to find paragraph ends."""
import sys


def splitter(tool, lang):
    if tool == 'pysbd':
        import pysbd
        return pysbd.Segmenter(language=lang, clean=False).segment
    if tool == 'moses':
        from sentence_splitter import SentenceSplitter
        return SentenceSplitter(language='en' if lang == 'ar' else lang).split
    sys.exit(f'seg_reference.py: unknown tool {tool!r}; use pysbd or moses')


split = splitter(*sys.argv[1:3])
out = []
for line in sys.stdin.read().split('\n'):
    if line.strip():
        out.extend(s.strip() for s in split(line) if s.strip())
sys.stdout.write(''.join(s.replace('\n', ' ') + '\n' for s in out))
