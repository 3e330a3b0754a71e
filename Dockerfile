# Two stages: the build stage installs the locked runtime dependencies with uv; the runtime image has only the
# virtual environment and the app (no uv, no compiler, no test tools), runs as a user without rights, and reports
# its health on /healthz (200 only when the database can be read and written).
# Migrations are a one-off (docker run IMAGE python -m app db upgrade), not part of start-up, so that several
# replicas never migrate at once. For the embedded SQLite default, MIGRATE_ON_START=1 migrates and seeds first.
FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.13.8
# The image's own Python, never a downloaded one: the venv is copied to an image with the same interpreter path.
# Bytecode compiled once here, since the runtime user cannot write into the venv.
ENV UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOST=0.0.0.0 PORT=8000 ENVIRONMENT=production \
    PATH=/app/.venv/bin:$PATH MIGRATE_ON_START=0
RUN useradd --create-home --uid 10001 wijkentree
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY alembic.ini ./
COPY app app
COPY migrations migrations
COPY geo geo
COPY seed seed
COPY static static
COPY templates templates
RUN mkdir -p data && chown wijkentree data
USER wijkentree
EXPOSE 8000
# A 503 raises in urlopen, so a database that cannot be written marks the container unhealthy as well. The Host is
# BASE_URL's, which the app always accepts, whatever ALLOWED_HOSTS says.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["python", "-c", "import os, urllib.parse as p, urllib.request as r; r.urlopen(r.Request('http://127.0.0.1:%s/healthz' % os.environ['PORT'], headers={'Host': p.urlsplit(os.environ.get('BASE_URL', 'http://127.0.0.1')).netloc}), timeout=4)"]
# exec: uvicorn is PID 1 and gets SIGTERM itself, finishing in-flight requests (up to 20 s) before it stops.
# WEB_CONCURRENCY sets the number of worker processes; FORWARDED_ALLOW_IPS the proxies whose X-Forwarded-For
# is believed (the rate limits count per address), see the README.
CMD ["sh", "-c", "if [ \"$MIGRATE_ON_START\" = 1 ]; then python -m app db upgrade && python -m app seed; fi; exec uvicorn app.main:app --host $HOST --port $PORT --proxy-headers --no-access-log --no-server-header --timeout-graceful-shutdown 20"]
