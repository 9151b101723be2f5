#!/usr/bin/env python3
"""Lists the documents an extraction run scores worst on (aeb metric): worst.py PRED GT [N]."""
import json, sys, os
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../../shared/bench"))
sys.path.insert(0, "/work/shared/bench")
from score_aeb import doc_counts, doc_precision, doc_recall
p = json.load(open(sys.argv[1])); g = json.load(open(sys.argv[2]))
n = int(sys.argv[3]) if len(sys.argv) > 3 else 15
rows = []
for k in g:
    t = g[k].get("articleBody") or g[k].get("main_content") or ""
    c = doc_counts(t, (p.get(k) or {}).get("articleBody") or "")
    rows.append((doc_precision(*c), doc_recall(*c), k, g[k].get("url", "")[:70]))
print("worst precision")
for r in sorted(rows)[:n]: print("%.2f %.2f %s %s" % r)
print("worst recall")
for r in sorted(rows, key=lambda r: r[1])[:n]: print("%.2f %.2f %s %s" % r)
