"""Settings for bench/api_load.py only: the product's settings, plus a stock DRF list endpoint to compare with
(bench/api_load_urls.py) and a header that counts each request's SQL queries."""

from steward.settings import *  # noqa: F403

PUBLIC_SCHEMA_URLCONF = "bench.api_load_urls"
MIDDLEWARE = ["bench.api_load_urls.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
