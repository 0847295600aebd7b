#!/usr/bin/env python3
"""How far F1_punct can go on this gold: sentence ends inside single reference lines.

Usage: seg_gold_audit.py CORPUS OUT SCORE_JSONL QANTARA_BIN

The segmentation benchmark takes each line of the corpus as one gold sentence. Where a
translator wrote two sentences on one line ("Il a été transporté à l'hôpital. Son état est
stable."), every segmenter that ends sentences at ". " + capital is charged a false positive.
This script measures how often that happens, with two segmenters that do not know the gold:

  - qantara itself, and
  - the Moses-style `sentence-splitter` (pip install sentence-splitter), the reference the issue
    quotes at 0.995 F1_punct for English,

each run on every gold line alone (one line = one paragraph, so only sentence ends inside a
line can split it). For French it also looks at the English source line of the same index:
when the English line is one sentence and the French line is two, the translator split it.

From the gold counts in SCORE_JSONL (gold internal boundaries that end in punctuation, G) and
the splits inside gold lines (U, each an unavoidable false positive for a splitter that finds
them), the best F1_punct such a splitter can reach is 2P/(1+P) with P = G/(G+U), R = 1.
Prints one JSON line per language. Reads the corpus at evaluation time only; writes nothing
to the repository.
"""
import json
import os
import subprocess
import sys

LANGS = ('ar', 'fr', 'en')


def gold_lines(corpus, lang):
    lines = []
    for doc in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, doc, f'{lang}.txt')
        if os.path.exists(path):
            with open(path, encoding='utf-8') as f:
                lines.extend((doc, i, ln.strip()) for i, ln in enumerate(f) if ln.strip())
    return lines


def pieces_qantara(binary, lang, lines):
    """Number of sentences qantara finds in each line, every line its own paragraph."""
    text = '\n\n'.join(ln for _, _, ln in lines) + '\n'
    out = subprocess.run([binary, 'segment', '-', '--lang', lang, '--format', 'json'],
                         input=text.encode(), capture_output=True, check=True).stdout
    counts = [0] * len(lines)
    for seg in map(json.loads, out.decode().splitlines()):
        counts[seg['paragraph']] += 1
    return counts


def pieces_moses(lang, lines):
    try:
        from sentence_splitter import SentenceSplitter
    except ImportError:
        return None
    splitter = SentenceSplitter(language=lang if lang != 'ar' else 'en')
    return [len([s for s in splitter.split(ln) if s.strip()]) for _, _, ln in lines]


def ceiling(score, splits):
    gold_punct = score['gold_int'] - score['gold_int_unpunctuated']
    precision = gold_punct / (gold_punct + splits)
    return round(2 * precision / (1 + precision), 4)


def main():
    corpus, out, score_path, binary = sys.argv[1:]
    scores = {r['lang']: r for r in map(json.loads, open(score_path, encoding='utf-8'))}
    lines = {lang: gold_lines(corpus, lang) for lang in LANGS}
    english_moses = pieces_moses('en', lines['en'])
    english_by_line = {(d, i): n for (d, i, _), n in zip(lines['en'], english_moses or [])}
    os.makedirs(out, exist_ok=True)
    for lang in LANGS:
        row = {'lang': lang, 'gold_lines': len(lines[lang])}
        for tool, counts in (('qantara', pieces_qantara(binary, lang, lines[lang])),
                             ('moses', pieces_moses(lang, lines[lang]))):
            if counts is None:
                continue
            split_lines = [(line, n) for line, n in zip(lines[lang], counts) if n > 1]
            splits = sum(n - 1 for _, n in split_lines)
            row[f'{tool}_lines_split'] = len(split_lines)
            row[f'{tool}_splits'] = splits
            if lang in scores:
                row[f'{tool}_F1_punct_ceiling'] = ceiling(scores[lang], splits)
            if lang != 'en' and english_moses:
                row[f'{tool}_split_where_en_is_one_sentence'] = sum(
                    1 for (d, i, _), _n in split_lines if english_by_line.get((d, i)) == 1)
            with open(os.path.join(out, f'gold-split-lines.{tool}.{lang}.txt'), 'w',
                      encoding='utf-8') as f:
                f.writelines(f'{d}:{i + 1}\t{n}\t{ln}\n' for (d, i, ln), n in split_lines)
        print(json.dumps(row, ensure_ascii=False))


if __name__ == '__main__':
    main()
