#!/usr/bin/env python3
"""Generate the bundled photograph and the raster test fixtures (issue 16).

Everything is drawn procedurally from a fixed seed, so the files are the
project's own work (licensed with it) and regenerate identically with the
same Pillow version:

    python3 scripts/media/make_rasters.py

Writes samples/media/park.jpg, samples/media/riverside.jpg (the sample
front page's standalone picture, and the second photograph of the front
page scripts/bench-edition times) and
tests/data/media/*.{jpg,png,gif}. The
vector ads come from `cargo run --release --bin gen-media`.
"""
import random
import struct
import zlib
from pathlib import Path

import math

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "media"
FIXTURES = ROOT / "tests" / "data" / "media"


def lerp(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


def park(width, height, seed=16):
    """A riverside park on a summer evening: sky, hills, river, trees, a path."""
    rng = random.Random(seed)
    img = Image.new("RGB", (width, height))
    d = ImageDraw.Draw(img)
    horizon = int(height * 0.45)
    for y in range(horizon):  # sky: deep blue to warm haze
        d.line([(0, y), (width, y)], fill=lerp((52, 104, 178), (238, 205, 160), y / horizon))
    sun = (int(width * 0.72), int(horizon * 0.62))
    r = width // 22
    d.ellipse([sun[0] - r, sun[1] - r, sun[0] + r, sun[1] + r], fill=(255, 236, 190))
    for layer, (colour, base, amp) in enumerate(
        [((112, 128, 150), 0.80, 0.20), ((78, 106, 88), 0.92, 0.12)]
    ):  # two ranges of hills, the far one hazier
        pts = [(0, height)]
        phase = rng.random() * 6.28
        for x in range(0, width + 8, 8):
            y = horizon * base - horizon * amp * (
                0.6 * math.sin(x / width * 5 + phase) + 0.4 * math.sin(x / width * 13 + layer)
            )
            pts.append((x, int(y)))
        pts.append((width, height))
        d.polygon(pts, fill=colour)
    river_top = horizon + int(height * 0.08)
    d.rectangle([0, horizon, width, height], fill=(86, 140, 70))  # meadow
    river = [(0, river_top), (width, river_top - height // 30),
             (width, river_top + height // 7), (0, river_top + height // 5)]
    d.polygon(river, fill=(92, 138, 176))
    for i in range(400):  # glints on the water
        x = rng.randrange(width)
        y = rng.randrange(river_top, river_top + height // 6)
        d.line([(x, y), (x + rng.randrange(10, 40), y)], fill=(200, 220, 235), width=1)
    path = [(width * 0.45, height), (width * 0.62, height),
            (width * 0.52, river_top + height // 4), (width * 0.49, river_top + height // 4)]
    d.polygon([(int(x), int(y)) for x, y in path], fill=(196, 178, 140))
    for i in range(26):  # trees: trunks and layered crowns
        x = rng.randrange(width)
        base = rng.randrange(river_top + height // 5, height + height // 8)
        size = int((base - horizon) * rng.uniform(0.25, 0.42))
        d.rectangle([x - size // 14, base - size, x + size // 14, base], fill=(82, 60, 40))
        for k in range(6):
            cx = x + rng.randrange(-size // 3, size // 3 + 1)
            cy = base - size - rng.randrange(0, size // 2)
            cr = rng.randrange(size // 4, size // 2)
            g = rng.randrange(70, 130)
            d.ellipse([cx - cr, cy - cr, cx + cr, cy + cr], fill=(30 + g // 4, g, 40))
    bx, by = int(width * 0.30), int(height * 0.86)  # a bench
    d.rectangle([bx, by, bx + width // 10, by + height // 80], fill=(120, 72, 40))
    d.rectangle([bx, by - height // 40, bx + width // 10, by - height // 60], fill=(120, 72, 40))
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    return Image.blend(img, noise, 0.06)


def save(img, path, **kw):
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, **kw)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


def main():
    save(park(1600, 1067), SAMPLES / "park.jpg", quality=85, optimize=True)
    save(park(1600, 1067, seed=23), SAMPLES / "riverside.jpg",
         quality=85, optimize=True)
    small = park(240, 160, seed=7)
    save(small, FIXTURES / "rgb.jpg", quality=85)
    save(small, FIXTURES / "progressive.jpg", quality=85, progressive=True)
    # Pillow writes CMYK JPEGs as Photoshop does: inverted samples and an
    # Adobe APP14 segment.
    save(small.convert("CMYK"), FIXTURES / "cmyk.jpg", quality=85)
    save(small.convert("L"), FIXTURES / "grey.png")
    save(small.convert("L"), FIXTURES / "grey.jpg", quality=85)
    # Smoothed, so the lossless file stays small.
    rgba = small.filter(ImageFilter.GaussianBlur(2)).convert("RGBA")
    alpha = Image.linear_gradient("L").resize(small.size)
    rgba.putalpha(alpha)  # transparent at the top, opaque at the bottom
    save(rgba, FIXTURES / "rgba.png", optimize=True, compress_level=9)
    save(small.convert("P", palette=Image.ADAPTIVE, colors=32), FIXTURES / "palette.png")
    save(small.convert("L").convert("I;16"), FIXTURES / "grey16.png")
    save(small.convert("P"), FIXTURES / "unsupported.gif")
    # A JPEG damaged in its headers: the Huffman table segment overwritten.
    jpeg = bytearray((FIXTURES / "rgb.jpg").read_bytes())
    dht = jpeg.find(b"\xff\xc4")
    jpeg[dht + 4 : dht + 40] = b"\xff" * 36
    (FIXTURES / "corrupt.jpg").write_bytes(bytes(jpeg))
    print("tests/data/media/corrupt.jpg: Huffman table overwritten")
    # A huge image that is tiny on disk: a PNG header claiming 60000 ×
    # 60000 pixels, with no image data after it. The loader must refuse it
    # from the header alone (decoding would fail differently).
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    huge = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    (FIXTURES / "huge.png").write_bytes(huge)
    print(f"tests/data/media/huge.png: {len(huge)} bytes (header only)")
    (FIXTURES / "not-an-image.jpg").write_text("这不是图片，是一段文字。\n")


if __name__ == "__main__":
    main()
