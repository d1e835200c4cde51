"""The dashboard served by the API app: pages, shipped assets (plotly.js included), no CDN."""

from changzhu import lazy_exports

_EXPORTS = {
    "install_web": "routes",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
