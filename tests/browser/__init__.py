"""Real-browser tests (Chromium via Playwright); a package so its conftest has its own name."""
