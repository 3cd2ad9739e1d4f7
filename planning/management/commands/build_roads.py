"""
Build the road network from an OpenStreetMap extract into ROUTING_TILES_DIR (or --into):

    python manage.py build_roads denmark-latest.osm.pbf

Valhalla's own tile builder (valhalla_build_tiles, shipped in pyvalhalla) writes into a
folder beside the target; only a finished build is moved into place, with its
description (drivein-roads.json) written last, so the running site keeps the old
network until the new one is whole. Then every centre's legs are filled again in the
background (the old ones belong to the old network and are no longer read).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import valhalla
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from planning.roads import GRAPH, MANIFEST
from planning.tasks import schedule_fill

BUILDER = Path(valhalla.__file__).parent / "bin" / "valhalla_build_tiles"


class Command(BaseCommand):
    help = "Build the road network (Valhalla tiles) from an OpenStreetMap extract (.osm.pbf)."

    def add_arguments(self, parser):
        parser.add_argument("extract", type=Path, help="An OpenStreetMap extract, .osm.pbf")
        parser.add_argument("--into", type=Path, help="The tiles folder (ROUTING_TILES_DIR)")
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *, extract: Path, into: Path | None, concurrency: int, **options):
        target = into or (Path(settings.ROUTING_TILES_DIR) if settings.ROUTING_TILES_DIR else None)
        if target is None:
            raise CommandError("Set ROUTING_TILES_DIR (or give --into) to say where the roads go.")
        if not extract.is_file():
            raise CommandError(f"No OpenStreetMap extract at {extract}.")
        target = target.resolve()
        building = target.with_name(target.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        (building / GRAPH).mkdir(parents=True)
        config = valhalla.get_config(tile_extract="", tile_dir=building / GRAPH)
        config["mjolnir"]["concurrency"] = concurrency
        config_file = building / "valhalla.json"
        config_file.write_text(json.dumps(config))
        started = time.monotonic()
        run = subprocess.run(
            [str(BUILDER), "-c", str(config_file), str(extract.resolve())],
            capture_output=True,
            text=True,
            cwd=building,
        )
        if run.returncode != 0:
            shutil.rmtree(building, ignore_errors=True)
            raise CommandError(
                f"valhalla_build_tiles failed ({run.returncode}): {run.stderr.strip()[-2000:]}"
            )
        tiles = {
            str(tile.relative_to(building / GRAPH)): tile.stat().st_size
            for tile in sorted((building / GRAPH).rglob("*.gph"))
        }
        if not tiles:
            shutil.rmtree(building, ignore_errors=True)
            raise CommandError(f"{extract} has no roads to build a network from.")
        seconds = round(time.monotonic() - started, 1)
        built = timezone.now().isoformat(timespec="seconds")
        manifest = {
            "network": f"{extract.name}@{built}#{uuid.uuid4().hex[:8]}",
            "source": extract.name,
            "source_bytes": extract.stat().st_size,
            "built": built,
            "seconds": seconds,
            "tiles": tiles,
        }
        (building / MANIFEST).write_text(json.dumps(manifest, indent=1))
        old = target.with_name(target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        building.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        schedule_fill()
        self.stdout.write(
            f"Built {len(tiles)} tiles ({sum(tiles.values()) / 1e6:.1f} MB) from {extract.name} "
            f"into {target} in {seconds} s; the legs are filled in the background."
        )
