"""Show mode: demo scenarios through the real pipeline, kiosk and attract loop, operator menu,
watchdog, soak report. See docs/show.md."""
