"""
Draw the app icons (static/icons/icon-192.png and icon-512.png) once, at
development time: a white van with a coffee cup on the brand colour, inside the
safe zone of a maskable icon. Pillow is not a dependency of Drive-in; to redraw:
``pip install pillow && python tools/draw_icons.py``.
"""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (11, 93, 122)
WHITE = (255, 255, 255)
ACCENT = (232, 163, 61)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def draw(size: int) -> Image.Image:
    scale = 4  # draw large, shrink smoothly
    s = size * scale
    image = Image.new("RGB", (s, s), BRAND)
    d = ImageDraw.Draw(image)
    u = s / 100  # one unit = 1 % of the icon; everything sits in the central 80 %

    # The van: a body with a sloping cab, a window, two wheels.
    d.rounded_rectangle([18 * u, 34 * u, 66 * u, 66 * u], radius=4 * u, fill=WHITE)
    d.polygon(
        [(64 * u, 40 * u), (74 * u, 40 * u), (84 * u, 52 * u), (84 * u, 66 * u), (64 * u, 66 * u)],
        fill=WHITE,
    )
    d.polygon([(68 * u, 44 * u), (73 * u, 44 * u), (80 * u, 53 * u), (68 * u, 53 * u)], fill=BRAND)
    for cx in (32, 72):
        d.ellipse([(cx - 8) * u, 60 * u, (cx + 8) * u, 76 * u], fill=BRAND)
        d.ellipse([(cx - 5.5) * u, 62.5 * u, (cx + 5.5) * u, 73.5 * u], fill=WHITE)
    # A cup on the side of the van: the café.
    d.rounded_rectangle([32 * u, 42 * u, 48 * u, 58 * u], radius=2 * u, fill=ACCENT)
    d.arc([45 * u, 45 * u, 54 * u, 54 * u], start=270, end=90, fill=ACCENT, width=int(2.2 * u))
    for x in (36, 42):
        d.arc(
            [x * u, 30 * u, (x + 4) * u, 40 * u], start=90, end=270, fill=WHITE, width=int(1.5 * u)
        )
    return image.resize((size, size), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)
        print(OUT / f"icon-{size}.png")
