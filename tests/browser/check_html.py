#!/usr/bin/env python3
"""Renders the HTML report in headless Chromium and checks it.

    check_html.py BINARY [INPUT...] [--keep-html FILE] [--screenshot FILE]
                  [--window-size W,H]

Runs `BINARY analyze -f html INPUT...` (default: samples/, from the project
root, where CTest runs this) — with --diff, the two INPUTs' partials and
`BINARY diff -f html BASE CURRENT` — then fails when
  - the page refers to anything outside itself (script, style, font or
    image by URL): it must open from an email attachment, offline;
  - Chromium logs a console message from the page (the page has no script,
    so any message is a problem: an "Uncaught" error, a failed load, a CSP
    report), or an :ERROR: line that names the page;
  - the screenshot is blank: all one colour, or without the colours of the
    category chart (the inline SVG did not render).
Exits 77 (CTest's SKIP_RETURN_CODE) when /usr/bin/chromium is absent.
Only the Python standard library is used (PNG decoded with zlib).
"""
import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

CHROMIUM = "/usr/bin/chromium"
SKIP = 77
# Two category colours of svg_chart.cpp that samples/ always shows.
CHART_COLOURS = {(0xD6, 0x27, 0x28): "server red", (0xFF, 0x7F, 0x0E): "rate_limit orange"}
# Markup that loads something (text from logs is escaped, so a "<" here is
# a real tag), and CSS that does; data: URLs are inline and allowed.
EXTERNAL_TAG = re.compile(
    r"""<(?:script|img|iframe|embed|object|audio|video|source|link|image|use)\b[^>]*"""
    r"""\b(?:src|href|data|xlink:href)\s*=\s*(?!["']?(?:data:|#))["']?[^"'\s>]*""", re.IGNORECASE)
EXTERNAL_CSS = re.compile(r"""@import|url\(\s*(?!["']?data:)""", re.IGNORECASE)
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)


def external_reference(text):
    match = EXTERNAL_TAG.search(text)
    if match:
        return match.group(0)
    for style in STYLE.findall(text):
        match = EXTERNAL_CSS.search(style)
        if match:
            return match.group(0)
    return None


def fail(message):
    print(f"FAIL: {message}")
    return 1


def render(html_path, png_path, window_size):
    profile = tempfile.mkdtemp(prefix="kt-chromium-")
    try:
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
               "--enable-logging=stderr", "--v=0", f"--screenshot={png_path}",
               f"--window-size={window_size}", "file://" + os.path.abspath(html_path)]
        run = subprocess.run(cmd, capture_output=True, timeout=180)
        return run.returncode, run.stderr.decode("utf-8", "replace")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def page_problems(log, html_path):
    """Console messages, uncaught errors, and :ERROR: lines about the page."""
    page = os.path.basename(html_path)
    bad = []
    for line in log.splitlines():
        if "CONSOLE" in line or "Uncaught" in line:
            bad.append(line)
        elif ":ERROR:" in line and (page in line or "file://" in line):
            bad.append(line)
    return bad


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(kind, row, prev, bpp):
    out = bytearray(row)
    if kind == 0:
        return out
    if kind == 2:
        return bytearray((x + y) & 0xFF for x, y in zip(row, prev))
    for i in range(len(out)):
        left = out[i - bpp] if i >= bpp else 0
        up = prev[i]
        if kind == 1:
            out[i] = (out[i] + left) & 0xFF
        elif kind == 3:
            out[i] = (out[i] + ((left + up) >> 1)) & 0xFF
        elif kind == 4:
            out[i] = (out[i] + paeth(left, up, prev[i - bpp] if i >= bpp else 0)) & 0xFF
    return out


def png_rows(path):
    """(width, height, iterator of RGB(A) rows) of an 8-bit RGB/RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp

    def rows():
        prev = bytearray(stride)
        for y in range(height):
            start = y * (stride + 1)
            prev = unfilter(raw[start], raw[start + 1:start + 1 + stride], prev, bpp)
            yield prev
    return width, height, bpp, rows()


def check_screenshot(path):
    """None when the screenshot shows the page, else what is wrong."""
    width, height, bpp, rows = png_rows(path)
    background, differing, total = None, 0, 0
    found = {name: 0 for name in CHART_COLOURS.values()}
    for row in rows:
        for x in range(0, len(row), bpp):
            pixel = (row[x], row[x + 1], row[x + 2])
            background = background or pixel
            total += 1
            differing += pixel != background
            name = CHART_COLOURS.get(pixel)
            if name:
                found[name] += 1
        if differing > total // 200 and all(n >= 200 for n in found.values()):
            return None  # text and both chart colours on screen: not blank
    if differing == 0:
        return f"the screenshot is blank (all {background})"
    missing = [name for name, n in found.items() if n < 200]
    return f"the charts did not render (too few {', '.join(missing)} pixels)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("inputs", nargs="*", default=["samples/"])
    ap.add_argument("--keep-html")
    ap.add_argument("--screenshot")
    ap.add_argument("--window-size", default="1280,2400")
    ap.add_argument("--audit", action="store_true",
                    help="analyze --audit: the page must also hold the Audit section and its "
                         "in-flight charts")
    ap.add_argument("--diff", action="store_true", help="INPUT... is BASE and CURRENT: check diff's page")
    args = ap.parse_intermixed_args()
    if not os.path.exists(CHROMIUM):
        print(f"SKIP: {CHROMIUM} is absent (apt-get install chromium)")
        return SKIP
    work = tempfile.mkdtemp(prefix="kt-browser-")
    try:
        html = args.keep_html or os.path.join(work, "report.html")
        png = args.screenshot or os.path.join(work, "report.png")
        env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000", TZ="UTC")
        audit = ["--audit"] if args.audit else []
        command = [args.binary, "analyze", "-f", "html", "-o", html] + audit + args.inputs
        if args.diff:
            sides = [os.path.join(work, f"side{i}.partial") for i in (1, 2)]
            for side, log in zip(sides, args.inputs):
                subprocess.run([args.binary, "analyze", "--partial", side, log], check=True, env=env)
            command = [args.binary, "diff", "-f", "html", "-o", html] + sides
        run = subprocess.run(command, env=env, capture_output=True, text=True)
        if run.returncode != 0:
            return fail(f"{command[1]} exited {run.returncode}: {run.stderr}")
        text = open(html, encoding="utf-8").read()
        if args.audit and ('<section id="audit">' not in text or '<svg class="inflight"' not in text):
            return fail("--audit: the page has no Audit section with in-flight charts")
        external = external_reference(text)
        if external:
            return fail(f"the page refers to an external resource: {external!r}")
        code, log = render(html, png, args.window_size)
        if code != 0 or not os.path.exists(png):
            return fail(f"chromium exited {code} without a screenshot:\n{log}")
        problems = page_problems(log, html)
        if problems:
            return fail("the page logged to the console:\n" + "\n".join(problems))
        wrong = check_screenshot(png)
        if wrong:
            return fail(wrong)
        print(f"ok: {html} rendered without console errors; screenshot {png} shows the page")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
