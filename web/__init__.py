"""The web shell every part of the platform shares: error answers, request hygiene, the words the
pages and the reports both use. It knows no contest rules and no feature package."""
