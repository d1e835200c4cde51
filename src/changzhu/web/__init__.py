"""The dashboard served by the API app: pages, shipped assets (plotly.js included), no CDN."""
