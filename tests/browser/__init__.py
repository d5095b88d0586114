"""Browser tests: the live pages in real Chromium through Playwright."""
