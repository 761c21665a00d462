"""Make the GX Data Docs site self-contained, so it renders on an intranet without internet, from file://.

GX 1.24.1's page templates (great_expectations/render/view/templates: page.j2, index_page.j2,
js_script_imports.j2, top_navbar.j2) load Bootstrap, jQuery, bootstrap-table, bootstrap-datepicker,
Font Awesome and Vega from CDNs and the GX logo from S3. Offline, the pages were unstyled text and the
index page's tables (drawn by bootstrap-table in JavaScript) were empty. GX offers no setting for this
(its own templates come first in its Jinja loader), so after each build :func:`make_self_contained`

* copies local copies of those files into ``static/vendor/`` of the site, from pinned PyPI packages
  (XStatic-Bootstrap 4.5.3 — GX asks for Bootstrap 4.3.1 —, XStatic-jQuery 3.7.1, XStatic-Font-Awesome
  6.2.1, XStatic-Bootstrap-Datepicker 1.4.0, django-js-lib-vega-embed: Vega 5, Vega-Lite 5, Vega-Embed 6)
  and, for bootstrap-table 1.19.1 which no PyPI package ships, from ``data_docs_assets/`` beside this file
  (the four minified files of the npm package, MIT licence);
* rewrites every page GX wrote in that build: each CDN ``<link>``/``<script>`` becomes a relative
  reference to the local copy (Popper comes with ``bootstrap.bundle.min.js``), the logo points at GX's
  own ``static/images/``, and no ``integrity``/``crossorigin`` attribute is left (Chromium refuses those on
  file://); a ``static/`` reference that misses its file (GX's favicon link on validation pages counts one
  ``../`` too few) is re-anchored at the site root. The dark theme (@forevolve/bootstrap-dark, npm only) is not shipped: GX's dark-mode overrides
  are switched off with it, so the pages are light in every colour scheme rather than half dark.

An external resource that is not in :data:`CDN_ASSETS` (a GX upgrade adding a library) is dropped with a
warning, so a page never waits for a network that is not there; a test reads GX's templates and fails
while any of their CDN addresses is unknown here.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

VENDOR_DIR = "static/vendor"          # under the site root
MARKER = ".self-contained"            # in VENDOR_DIR: which version of this rewrite the pages have had
REWRITE_VERSION = "1"                 # bump when the rewrite changes: the next build rewrites every page
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Asset:
    """One file of the site's static/vendor folder and the installed file it is copied from."""

    name: str          # relative to static/vendor
    package: str       # the Python package that ships it ("" for the files beside this module)
    source: str        # relative to that package's folder

    def source_path(self) -> Path:
        if not self.package:
            return HERE / "data_docs_assets" / self.source
        return _package_dir(self.package) / self.source


@lru_cache(maxsize=None)
def _package_dir(package: str) -> Path:
    import importlib

    module = importlib.import_module(package)
    return Path(getattr(module, "BASE_DIR", None) or Path(module.__file__).parent)


_FA = "xstatic.pkg.font_awesome"
ASSETS: tuple[Asset, ...] = (
    Asset("bootstrap/bootstrap.min.css", "xstatic.pkg.bootstrap", "css/bootstrap.min.css"),
    Asset("bootstrap/bootstrap.bundle.min.js", "xstatic.pkg.bootstrap", "js/bootstrap.bundle.min.js"),
    Asset("jquery/jquery.min.js", "xstatic.pkg.jquery", "jquery.min.js"),
    Asset("font-awesome/css/all.min.css", _FA, "css/all.min.css"),
    Asset("font-awesome/LICENSE.txt", _FA, "LICENSE.txt"),
    *(Asset(f"font-awesome/webfonts/{font}.{ext}", _FA, f"webfonts/{font}.{ext}")
      for font in ("fa-brands-400", "fa-regular-400", "fa-solid-900", "fa-v4compatibility")
      for ext in ("woff2", "ttf")),
    Asset("bootstrap-datepicker/bootstrap-datepicker.css", "xstatic.pkg.bootstrap_datepicker", "datepicker.css"),
    Asset("bootstrap-datepicker/bootstrap-datepicker.js", "xstatic.pkg.bootstrap_datepicker", "bootstrap-datepicker.js"),
    Asset("bootstrap-table/bootstrap-table.min.css", "", "bootstrap-table/bootstrap-table.min.css"),
    Asset("bootstrap-table/bootstrap-table.min.js", "", "bootstrap-table/bootstrap-table.min.js"),
    Asset("bootstrap-table/bootstrap-table-filter-control.min.css", "",
          "bootstrap-table/bootstrap-table-filter-control.min.css"),
    Asset("bootstrap-table/bootstrap-table-filter-control.min.js", "",
          "bootstrap-table/bootstrap-table-filter-control.min.js"),
    Asset("bootstrap-table/LICENSE", "", "bootstrap-table/LICENSE"),
    Asset("vega/vega5.js", "js_lib_vega_embed", "static/js_lib_vega_embed/vega5.js"),
    Asset("vega/vega-lite5.js", "js_lib_vega_embed", "static/js_lib_vega_embed/vega-lite5.js"),
    Asset("vega/vega-embed6.js", "js_lib_vega_embed", "static/js_lib_vega_embed/vega-embed6.js"),
)

# Every external stylesheet and script GX 1.24.1's templates load → the local files that replace it (in
# order; none: dropped on purpose).
CDN_ASSETS: dict[str, tuple[str, ...]] = {
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": ("bootstrap-table/bootstrap-table.min.css",),
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": ("bootstrap/bootstrap.min.css",),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        ("bootstrap-table/bootstrap-table-filter-control.min.css",),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        ("bootstrap-table/bootstrap-table-filter-control.min.css",),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        ("bootstrap-datepicker/bootstrap-datepicker.css",),
    # the dark Bootstrap theme: not shipped (see the module docstring)
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (),
    "https://cdn.jsdelivr.net/npm/vega@5": ("vega/vega5.js",),
    "https://cdn.jsdelivr.net/npm/vega-lite@5": ("vega/vega-lite5.js",),
    "https://cdn.jsdelivr.net/npm/vega-embed@6": ("vega/vega-embed6.js",),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": ("font-awesome/css/all.min.css",),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery/jquery.min.js",),
    # Popper 1 is part of Bootstrap's bundle, which replaces bootstrap.min.js just below
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": ("bootstrap/bootstrap.bundle.min.js",),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": ("bootstrap-table/bootstrap-table.min.js",),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        ("bootstrap-table/bootstrap-table-filter-control.min.js",),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        ("bootstrap-datepicker/bootstrap-datepicker.js",),
}
GX_IMAGES = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"

_EXTERNAL = r"(?:https?:)?//"
_LINK = re.compile(rf"<link\b[^>]*?\bhref\s*=\s*[\"']({_EXTERNAL}[^\"']*)[\"'][^>]*>", re.I)
_SCRIPT = re.compile(rf"<script\b[^>]*?\bsrc\s*=\s*[\"']({_EXTERNAL}[^\"']*)[\"'][^>]*>\s*</script>", re.I)
_IMG_SRC = re.compile(rf"(<img\b[^>]*?\bsrc\s*=\s*)([\"'])({_EXTERNAL}[^\"']*)\2", re.I)
_STATIC = re.compile(r"(<(?:link|script|img)\b[^>]*?\b(?:href|src)\s*=\s*)([\"'])((?:\.\.?/)*static/[^\"'?#]*)\2", re.I)
_CSS_URL = re.compile(rf"url\(\s*([\"']?)({_EXTERNAL}[^\"')]*)\1\s*\)", re.I)
_CSS_IMPORT = re.compile(rf"@import\s+(?:url\()?\s*[\"']?{_EXTERNAL}[^;]*;", re.I)
_DARK_MODE = re.compile(r"@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)", re.I)


def _relative(target: str, page: Path, site: Path) -> str:
    """``target`` (relative to the site root) as seen from ``page``, with forward slashes."""
    return Path(os.path.relpath(site / target, page.parent)).as_posix()


def _tag(asset: str, page: Path, site: Path) -> str:
    href = _relative(f"{VENDOR_DIR}/{asset}", page, site)
    if asset.endswith(".css"):
        return f'<link rel="stylesheet" href="{href}">'
    return f'<script src="{href}"></script>'


def localize_css(text: str, page: Path | None = None, site: Path | None = None) -> str:
    """Stylesheet text without external references: GX's dark-mode block off, external url() and @import out."""
    text = _DARK_MODE.sub("@media not all", text)
    text = _CSS_IMPORT.sub("", text)

    def url(match: re.Match) -> str:
        address = match.group(2)
        if page is not None and site is not None and address.startswith(GX_IMAGES):
            local = f"static/images/{address[len(GX_IMAGES):].split('?', 1)[0]}"
            if (site / local).is_file():
                return f"url('{_relative(local, page, site)}')"
        return "none"

    return _CSS_URL.sub(url, text)


def localize_html(text: str, page: Path, site: Path) -> str:
    """One page's HTML with every CDN stylesheet, script and image replaced by the site's local copy."""

    def resource(match: re.Match) -> str:
        address = match.group(1)
        if address.startswith("//"):
            address = "https:" + address
        if address not in CDN_ASSETS:
            logger.warning("Data Docs: dropped %s from %s (no local copy in %s.CDN_ASSETS)", address, page, __name__)
            return ""
        return "\n".join(_tag(asset, page, site) for asset in CDN_ASSETS[address])

    def image(match: re.Match) -> str:
        name = match.group(3).split("?", 1)[0].rsplit("/", 1)[-1]
        local = f"static/images/{name}"
        if not (site / local).is_file():
            local = "static/images/logo-long.png"
        return f"{match.group(1)}{match.group(2)}{_relative(local, page, site)}{match.group(2)}"

    def static(match: re.Match) -> str:
        # GX's favicon.j2 counts one "../" too few on validation pages: re-anchor static/ at the site root
        address = match.group(3)
        if (page.parent / address).is_file():
            return match.group(0)
        local = "static/" + address.split("static/", 1)[1]
        if not (site / local).is_file():
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{_relative(local, page, site)}{match.group(2)}"

    text = _LINK.sub(resource, text)
    text = _SCRIPT.sub(resource, text)
    text = _IMG_SRC.sub(image, text)
    text = _STATIC.sub(static, text)
    return localize_css(text, page, site)      # the inline <style> blocks


def _write_if_changed(path: Path, text: str, original: str) -> bool:
    if text == original:
        return False
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)
    return True


def install_assets(site: Path) -> int:
    """Copy the vendored files into static/vendor (only those missing or of another size); return how many."""
    copied = 0
    for asset in ASSETS:
        source, target = asset.source_path(), site / VENDOR_DIR / asset.name
        if target.is_file() and target.stat().st_size == source.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(handle)
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
        copied += 1
    return copied


def make_self_contained(site: Path, since_ns: int | None = None) -> list[Path]:
    """Copy the local assets into the site and rewrite its pages; return the pages rewritten.

    ``since_ns``: rewrite only the pages written since then (``time.time_ns()`` before the build; the
    index page always), so a daily run does not reread months of old pages. Every page is rewritten when
    it is None, and when the site has not had this version of the rewrite yet (a site built before, or
    by an older version of this module)."""
    site = Path(site)
    install_assets(site)
    marker = site / VENDOR_DIR / MARKER
    if not marker.is_file() or marker.read_text(encoding="utf-8").strip() != REWRITE_VERSION:
        since_ns = None
    threshold = None if since_ns is None else since_ns - 2_000_000_000   # coarse file-system clocks
    rewritten = []
    for page in site.rglob("*.html"):
        if threshold is not None and page.name != "index.html" and page.stat().st_mtime_ns < threshold:
            continue
        original = page.read_text(encoding="utf-8")
        if _write_if_changed(page, localize_html(original, page, site), original):
            rewritten.append(page)
    for sheet in (site / "static" / "styles").glob("*.css"):   # GX copies its own sheets there on every build
        original = sheet.read_text(encoding="utf-8")
        _write_if_changed(sheet, localize_css(original, sheet, site), original)
    marker.write_text(REWRITE_VERSION + "\n", encoding="utf-8")
    return rewritten
