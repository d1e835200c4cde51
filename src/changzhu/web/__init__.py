"""What the service gives a browser: the office (built from frontend/, no CDN) and redirects from older addresses."""

from changzhu import lazy_exports

_EXPORTS = {
    "install_web": "routes",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
