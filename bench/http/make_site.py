"""Writes N pages of about 50 KB (Arabic and Persian news-like HTML, each different) under DIR/p/
and prints their URLs."""
import os
import random
import sys

root, count, base = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(os.path.join(root, "p"), exist_ok=True)
rng = random.Random(42)
words = ("خبر عاجل روسيا أوكرانيا الحكومة المجلس الرئيس بیانیه می\u200cگوید دولت ایران گزارش "
         "news report minister council economy market").split()
for i in range(count):
    parts = [f"<!doctype html><html lang=ar dir=rtl><head><meta charset=utf-8><title>page {i}</title></head><body><article>"]
    size = sum(len(p.encode()) for p in parts)
    while size < 50_000:
        p = "<p>" + " ".join(rng.choice(words) for _ in range(40)) + "</p>\n"
        parts.append(p)
        size += len(p.encode())
    parts.append("</article></body></html>\n")
    with open(os.path.join(root, "p", f"{i}.html"), "w", encoding="utf-8") as f:
        f.write("".join(parts))
    print(f"{base}/p/{i}.html")
